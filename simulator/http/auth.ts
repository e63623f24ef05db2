// Who is calling: the credentials each entry point accepts, mapped to a user. Anything else is anonymous (undefined).
import type { SimUser } from '../model';

/** Cloud site: email + API token (passwords are rejected). Gateway: OAuth bearer. Data Center: password or PAT. */
export type AuthRealm = 'cloud' | 'oauth' | 'dc';

export function authenticate(header: string | undefined, realm: AuthRealm, users: SimUser[]): SimUser | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^basic$/i.test(scheme) && realm !== 'oauth') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    return realm === 'cloud'
      ? users.find((u) => u.email === name && u.apiToken === secret)
      : users.find((u) => u.username === name && u.password === secret);
  }
  if (/^bearer$/i.test(scheme)) {
    if (realm === 'dc') return users.find((u) => u.pat === value);
    if (realm === 'oauth') return users.find((u) => u.oauthToken === value);
  }
  return undefined;
}
