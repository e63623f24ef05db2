// Who is calling: the credentials each entry point accepts, mapped to a user. Anything else is anonymous (undefined).
import type { SimUser } from '../model';

/**
 * Cloud site: email + classic API token (passwords and scoped tokens are rejected). Gateway: OAuth bearer or email +
 * scoped API token. Data Center: password or PAT.
 */
export type AuthRealm = 'cloud' | 'gateway' | 'dc';

export function authenticate(header: string | undefined, realm: AuthRealm, users: SimUser[]): SimUser | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    if (realm === 'cloud') return users.find((u) => u.email === name && u.apiToken === secret);
    if (realm === 'gateway') return users.find((u) => u.email === name && u.scopedApiToken === secret);
    return users.find((u) => u.username === name && u.password === secret);
  }
  if (/^bearer$/i.test(scheme)) {
    if (realm === 'dc') return users.find((u) => u.pat === value);
    if (realm === 'gateway') return users.find((u) => u.oauthToken === value);
  }
  return undefined;
}
