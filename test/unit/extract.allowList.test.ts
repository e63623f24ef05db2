import { describe, expect, it } from 'vitest';
import { createUrlPolicy, describeUrl } from '../../src/connectors/confluence/extract/allowList';

const site = 'https://site.example.com/wiki';

function verdict(policy: ReturnType<typeof createUrlPolicy>, url: string, base?: string) {
  const v = policy.check(url, base);
  return v.ok ? { ok: true, creds: v.sendCredentials } : { ok: false, reason: v.reason };
}

describe('createUrlPolicy: prefixes', () => {
  const policy = createUrlPolicy({ siteUrl: site });

  it('defaults to the site base URL and matches on path-segment boundaries', () => {
    expect(verdict(policy, 'https://site.example.com/wiki')).toEqual({ ok: true, creds: true });
    expect(verdict(policy, 'https://site.example.com/wiki/download/attachments/1/a.png?version=1')).toEqual({
      ok: true,
      creds: true,
    });
    expect(policy.check('https://site.example.com/wikipedia/x').ok).toBe(false);
    expect(policy.check('https://site.example.com/admin').ok).toBe(false);
  });

  it('compares parsed hosts, so look-alike hosts do not match', () => {
    for (const url of [
      'https://site.example.com.evil.net/wiki/x',
      'https://site.example.comevil.net/wiki/x',
      'https://evil.net/site.example.com/wiki/x',
      'https://evil.net/?u=https://site.example.com/wiki',
      'https://site.example.com:8443/wiki/x',
      'http://site.example.com/wiki/x',
    ]) {
      expect(policy.check(url).ok, url).toBe(false);
    }
  });

  it('judges the normalised path, not the raw text', () => {
    expect(policy.check('https://site.example.com/wiki/../admin/secret').ok).toBe(false);
    expect(policy.check('https://site.example.com/wiki/%2e%2e/admin').ok).toBe(false);
    expect(policy.check('https://SITE.example.COM/wiki/x').ok).toBe(true);
    expect(policy.check('https://site.example.com:443/wiki/x').ok).toBe(true);
  });

  it('an explicit list replaces the default; a trailing slash means "below this folder"', () => {
    const p = createUrlPolicy({
      siteUrl: site,
      allowList: ['https://cdn.example.net/img/', 'https://site.example.com/wiki/download'],
    });
    expect(p.check('https://cdn.example.net/img/a.png').ok).toBe(true);
    expect(p.check('https://cdn.example.net/img').ok).toBe(false);
    expect(p.check('https://site.example.com/wiki/download/attachments/1/a.png').ok).toBe(true);
    expect(p.check('https://site.example.com/wiki/spaces/X').ok).toBe(false);
  });

  it('an empty list (the CLI default) means the site base URL', () => {
    const p = createUrlPolicy({ siteUrl: site, allowList: ['', ' '] });
    expect(p.check('https://site.example.com/wiki/x').ok).toBe(true);
    expect(p.check('https://cdn.example.net/x').ok).toBe(false);
  });
});

describe('createUrlPolicy: credentials', () => {
  it('go to the site origin only, never to another allowed origin', () => {
    const p = createUrlPolicy({
      siteUrl: 'http://127.0.0.1:8090/wiki',
      allowList: [
        'http://127.0.0.1:8090/',
        'http://127.0.0.1:9000/',
        'http://localhost:8090/',
        'https://127.0.0.1:8090/',
      ],
    });
    expect(verdict(p, 'http://127.0.0.1:8090/other')).toEqual({ ok: true, creds: true });
    // Same IP, other port: another origin. Same server by another name: another origin. Other scheme: another origin.
    expect(verdict(p, 'http://127.0.0.1:9000/x')).toEqual({ ok: true, creds: false });
    expect(verdict(p, 'http://localhost:8090/wiki/x')).toEqual({ ok: true, creds: false });
    expect(verdict(p, 'https://127.0.0.1:8090/wiki/x')).toEqual({ ok: true, creds: false });
    expect(p.siteOrigin).toBe('http://127.0.0.1:8090');
  });
});

describe('createUrlPolicy: refusals', () => {
  const policy = createUrlPolicy({ siteUrl: site, allowList: [site, 'http://127.0.0.1:9000/', 'http://[::1]:9000/'] });

  it('refuses non-http schemes with a reason', () => {
    expect(verdict(policy, 'file:///etc/passwd')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('file:'),
    });
    expect(verdict(policy, 'data:image/png;base64,AAAA')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('data:'),
    });
    expect(verdict(policy, 'javascript:alert(1)')).toMatchObject({ ok: false });
    expect(verdict(policy, 'ftp://site.example.com/wiki/x')).toMatchObject({ ok: false });
    expect(verdict(policy, '/wiki/relative.png')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('absolute'),
    });
  });

  it('refuses user-info even on the site origin, without echoing it', () => {
    const v = verdict(policy, 'https://admin:hunter2@site.example.com/wiki/x');
    expect(v).toMatchObject({ ok: false, reason: expect.stringContaining('user-info') });
    expect(JSON.stringify(v)).not.toContain('hunter2');
    expect(policy.check('https://site.example.com@evil.net/wiki/x').ok).toBe(false);
  });

  it('refuses obfuscated forms of an allowed private address', () => {
    expect(policy.check('http://127.0.0.1:9000/a.png').ok).toBe(true);
    expect(policy.check('http://[::1]:9000/a.png').ok).toBe(true);
    for (const url of [
      'http://2130706433:9000/a.png', // decimal
      'http://0x7f000001:9000/a.png', // hex
      'http://0x7f.0.0.1:9000/a.png',
      'http://0177.0.0.1:9000/a.png', // octal
      'http://127.1:9000/a.png', // short
      'http://%31%32%37.0.0.1:9000/a.png', // percent-encoded
      'http://[0:0:0:0:0:0:0:1]:9000/a.png', // expanded IPv6
    ]) {
      expect(verdict(policy, url), url).toMatchObject({ ok: false, reason: expect.stringContaining('non-canonical') });
    }
  });

  it('judges relative srcs and Locations as written, against their base', () => {
    const base = 'https://site.example.com/wiki/spaces/X/pages/1';
    expect(verdict(policy, '/wiki/download/a.png', base)).toEqual({ ok: true, creds: true });
    expect(verdict(policy, 'a.png', base)).toEqual({ ok: true, creds: true });
    expect(verdict(policy, '//site.example.com/wiki/a.png', base)).toEqual({ ok: true, creds: true });
    for (const src of ['//2130706433:9000/a.png', 'http://0x7f.0.0.1:9000/a.png', '\\\\127.1:9000/a.png']) {
      expect(verdict(policy, src, base), src).toMatchObject({
        ok: false,
        reason: expect.stringContaining('non-canonical'),
      });
    }
    expect(verdict(policy, 'http://[', base)).toMatchObject({ ok: false, reason: 'not a valid URL' });
  });

  it('refuses private addresses that the list does not name, in any form', () => {
    for (const url of [
      'http://127.0.0.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]:9000/a.png', // IPv4-mapped: canonicalises to [::ffff:7f00:1], not the listed host
      'http://[::ffff:7f00:1]:9000/a.png',
      'http://10.0.0.1/x',
      'http://localhost:9000/a.png',
    ]) {
      expect(policy.check(url).ok, url).toBe(false);
    }
  });

  it('rejects unusable allow-list entries and site URLs with a clear message', () => {
    expect(() => createUrlPolicy({ siteUrl: 'site.example.com' })).toThrow(
      /site URL .* is not an absolute URL; write it like https:\/\/host\/path/,
    );
    expect(() => createUrlPolicy({ siteUrl: site, allowList: ['https://cdn.example.net/?a=1'] })).toThrow(
      /query or fragment/,
    );
    expect(() => createUrlPolicy({ siteUrl: site, allowList: ['file:///tmp'] })).toThrow(/allow-list entry .* refused/);
    expect(() => createUrlPolicy({ siteUrl: site, allowList: ['https://u:secret@cdn.example.net/'] })).toThrow(
      /user-info/,
    );
    expect(() => createUrlPolicy({ siteUrl: site, allowList: ['https://u:secret@cdn.example.net/'] })).not.toThrow(
      /secret/,
    );
  });
});

describe('mayConnect (DNS answers at connect time)', () => {
  const policy = createUrlPolicy({
    siteUrl: 'http://intranet-wiki:8090/',
    allowList: ['http://intranet-wiki:8090/', 'https://cdn.example.net/', 'http://localhost:9000/', 'http://10.1.2.3/'],
  });

  it('lets the site host and hosts named by a private literal reach private addresses', () => {
    expect(policy.mayConnect('intranet-wiki', '10.0.0.5')).toBe(true);
    expect(policy.mayConnect('localhost', '127.0.0.1')).toBe(true);
    expect(policy.mayConnect('localhost', '::1')).toBe(true);
  });

  it('refuses a DNS name that resolves into the private network (rebinding), public answers pass', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.5',
      '169.254.169.254',
      '::1',
      '::ffff:127.0.0.1',
      'fd00::1',
      'fe80::1',
      '0.0.0.0',
      '64:ff9b::a00:1',
    ]) {
      expect(policy.mayConnect('cdn.example.net', address), address).toBe(false);
    }
    expect(policy.mayConnect('cdn.example.net', '93.184.216.34')).toBe(true);
    expect(policy.mayConnect('cdn.example.net', '2606:2800:220:1::1')).toBe(true);
  });

  it('allowPrivateNetwork opens private answers for allowed DNS names', () => {
    const open = createUrlPolicy({ siteUrl: site, allowList: ['https://cdn.example.net/'], allowPrivateNetwork: true });
    expect(open.mayConnect('cdn.example.net', '10.0.0.5')).toBe(true);
  });
});

describe('describeUrl', () => {
  it('drops user-info and query so tokens never reach logs', () => {
    expect(describeUrl('https://u:p@media.example.net/file/1/binary?token=SECRET#x')).toBe(
      'https://media.example.net/file/1/binary',
    );
    expect(describeUrl('data:image/png;base64,AAAA')).toBe('data:...');
  });
});
