// Who is calling: the credentials each mode accepts, mapped to a user. Anything else is anonymous (undefined).
import type { Mode } from '../links';
import type { SimUser } from '../model';

export type AuthScheme = 'basic' | 'bearer';

export function authenticate(header: string | undefined, mode: Mode, users: SimUser[]): SimUser | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // Cloud accepts email + API token only (passwords are rejected); Data Center accepts username + password.
    return mode === 'cloud'
      ? users.find((u) => u.email === name && u.apiToken === secret)
      : users.find((u) => u.username === name && u.password === secret);
  }
  if (/^bearer$/i.test(scheme) && mode === 'dc') return users.find((u) => u.pat === value);
  return undefined;
}
