// A Confluence client signed in to a simulator as one of its users (the first, who reads everything, by default).
import type { RunningSimulator, SimUser } from '../../simulator';
import { type ConfluenceClient, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';

export function clientFor(sim: RunningSimulator, user: SimUser = sim.site.users[0]): ConfluenceClient {
  const auth =
    sim.mode === 'cloud'
      ? resolveAuth({ url: sim.url, cloud: true, username: user.email, apiToken: user.apiToken })
      : resolveAuth({ url: sim.url, username: user.username, password: user.password });
  return createConfluenceClient(auth.site, auth.secrets);
}
