// Credential modes and their validation (the reference connector's rules, with messages that say what to pass).
import { SiteSchema, type AuthMode, type ConfluenceSecrets, type Site } from '../site';
import { ConfluenceConfigError } from './errors';
import { normalizeSiteUrl } from './url';

export interface AuthInput {
  url: string;
  cloud?: boolean;
  username?: string;
  apiToken?: string;
  password?: string;
  token?: string;
  oauthToken?: string;
  scopedToken?: boolean;
  cloudId?: string;
  gatewayUrl?: string;
}

const NONE_GIVEN =
  'no credentials given; pass --username with --api-token (Cloud) or --password (Data Center), --token (Data Center personal access token), or --oauth-token with --cloud-id';

/** Validates the flag/env combination and splits it into the public Site and the worker-only ConfluenceSecrets. */
export function resolveAuth(input: AuthInput): { site: Site; secrets: ConfluenceSecrets } {
  const given = (v?: string): v is string => v !== undefined && v !== '';
  if (given(input.password) && given(input.apiToken)) {
    throw new ConfluenceConfigError(
      'both --password and --api-token given; pass only one (--api-token for Cloud, --password for Data Center)',
    );
  }
  const secret = given(input.apiToken) ? input.apiToken : input.password;
  if (given(secret) && !given(input.username)) {
    throw new ConfluenceConfigError(
      `${given(input.apiToken) ? '--api-token' : '--password'} needs --username (the account email on Cloud)`,
    );
  }
  const basic = given(input.username) && given(secret);
  const pat = given(input.token);
  const oauth = given(input.oauthToken);
  if (input.cloud && !(basic || oauth)) {
    throw new ConfluenceConfigError(
      '--cloud needs --username with --api-token, or --oauth-token with --cloud-id (personal access tokens are for Data Center)',
    );
  }
  if ([basic, pat, oauth].filter(Boolean).length > 1) {
    throw new ConfluenceConfigError(
      '--username with --api-token/--password, --token and --oauth-token are mutually exclusive; pass exactly one way to sign in',
    );
  }
  if (oauth && !given(input.cloudId)) {
    throw new ConfluenceConfigError(
      '--oauth-token needs --cloud-id (see https://<site>.atlassian.net/_edge/tenant_info)',
    );
  }
  if (!(basic || pat || oauth)) throw new ConfluenceConfigError(NONE_GIVEN);
  const scoped = Boolean(input.scopedToken);
  if (scoped && !(basic && given(input.apiToken))) {
    throw new ConfluenceConfigError(
      '--scoped-token is for a Cloud API token with scopes; pass it with --username and --api-token',
    );
  }

  const auth: AuthMode = oauth ? 'oauth' : pat ? 'pat' : given(input.apiToken) ? 'api-token' : 'password';
  // OAuth and scoped tokens only exist on Cloud, as in the reference connector.
  const cloud = Boolean(input.cloud) || oauth || scoped;
  normalizeSiteUrl(input.url, cloud);
  const site = SiteSchema.parse({
    url: input.url.trim(),
    cloud,
    auth,
    username: basic ? input.username : undefined,
    cloudId: oauth || scoped ? input.cloudId : undefined,
    ...(scoped ? { scopedToken: true } : {}),
    gatewayUrl: input.gatewayUrl,
  });
  return { site, secrets: pickSecrets(auth, input) };
}

function pickSecrets(auth: AuthMode, input: AuthInput): ConfluenceSecrets {
  switch (auth) {
    case 'api-token':
      return { apiToken: input.apiToken };
    case 'password':
      return { password: input.password };
    case 'pat':
      return { token: input.token };
    case 'oauth':
      return { oauthToken: input.oauthToken };
  }
}

/** The Authorization header for the site's mode; fails clearly when the worker lacks the secret. */
export function authorizationHeader(site: Site, secrets: ConfluenceSecrets): string {
  const missing = (what: string, fix: string) =>
    new ConfluenceConfigError(`site uses ${site.auth} auth but the worker has no ${what}; ${fix}`);
  switch (site.auth) {
    case 'api-token':
    case 'password': {
      const secret = site.auth === 'api-token' ? secrets.apiToken : secrets.password;
      if (!site.username) throw new ConfluenceConfigError(`${site.auth} auth needs a username; pass --username`);
      if (!secret) {
        throw site.auth === 'api-token'
          ? missing('API token', 'set CONFLUENCE_API_TOKEN where the worker runs')
          : missing('password', 'set CONFLUENCE_PASSWORD where the worker runs');
      }
      return `Basic ${Buffer.from(`${site.username}:${secret}`, 'utf8').toString('base64')}`;
    }
    case 'pat':
      if (!secrets.token)
        throw missing('personal access token', 'set CONFLUENCE_PERSONAL_ACCESS_TOKEN where the worker runs');
      return `Bearer ${secrets.token}`;
    case 'oauth':
      if (!secrets.oauthToken) throw missing('OAuth access token', 'give the worker the token passed as --oauth-token');
      return `Bearer ${secrets.oauthToken}`;
  }
}

/** Who the requests run as, for error messages (never a secret). */
export function describeUser(site: Site): string {
  if (site.username) return `user ${site.username}`;
  return site.auth === 'pat' ? 'the personal access token’s user' : 'the OAuth token’s user';
}

/** What to fix when the server answers 401. */
export function authFix(site: Site): string {
  switch (site.auth) {
    case 'api-token':
      return site.scopedToken
        ? 'check --username (the account email), --api-token (a scoped token with Confluence read scopes) and --cloud-id'
        : 'check --username (the account email on Cloud) and --api-token (a scoped API token needs --scoped-token)';
    case 'password':
      return site.cloud
        ? 'Confluence Cloud does not accept passwords; create an API token and pass it with --api-token'
        : 'check --username and --password';
    case 'pat':
      return 'check --token (a Data Center personal access token that has not expired or been revoked)';
    case 'oauth':
      return 'the OAuth access token is invalid or expired; pass a fresh one with --oauth-token (and check --cloud-id)';
  }
}
