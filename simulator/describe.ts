// What `durable-ingest simulator` prints: where the site is and how to log in.
import type { RunningSimulator } from './server';

export function describeSimulator(sim: RunningSimulator): string[] {
  const lines = [
    `Confluence ${sim.mode === 'cloud' ? 'Cloud' : 'Data Center'} simulator`,
    `  URL:       ${sim.url}`,
    `  mode:      ${sim.mode === 'dc' ? `dc ${sim.options.dcVersion}` : sim.mode}`,
    `  username:  ${sim.credentials.username}`,
  ];
  if (sim.mode === 'cloud') {
    lines.push(
      `  API token: ${sim.credentials.apiToken}`,
      `  OAuth:     --oauth-token ${sim.credentials.oauthToken} --cloud-id ${sim.cloudId} (gateway ${sim.origin})`,
      `  scoped:    --scoped-token --api-token ${sim.credentials.scopedApiToken} (gateway ${sim.origin})`,
    );
  } else {
    lines.push(`  password:  ${sim.credentials.password}`, `  PAT:       ${sim.credentials.pat}`);
  }
  lines.push(`  spaces:    ${sim.site.spaces.map((s) => s.key).join(', ')} (${sim.site.pages.length} pages)`);
  return lines;
}
