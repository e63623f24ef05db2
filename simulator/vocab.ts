// Word lists for generated content: enough variety to look like a real engineering wiki.

export const SPACE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['ENG', 'Engineering'],
  ['OPS', 'Operations'],
  ['DOC', 'Documentation'],
  ['HR', 'People & Culture'],
  ['SEC', 'Security'],
  ['DATA', 'Data Platform'],
  ['MKT', 'Marketing'],
  ['SALES', 'Sales Enablement'],
  ['QA', 'Quality Assurance'],
  ['INFRA', 'Infrastructure'],
  ['PM', 'Product Management'],
  ['FIN', 'Finance'],
  ['LEGAL', 'Legal'],
  ['SUP', 'Customer Support'],
  ['MOB', 'Mobile'],
  ['WEB', 'Web Platform'],
  ['ML', 'Machine Learning'],
  ['ARCH', 'Architecture'],
  ['REL', 'Release Management'],
  ['IT', 'IT Helpdesk'],
];

export const PEOPLE = [
  'Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds', 'Margaret Hamilton',
  'Dennis Ritchie', 'Barbara Liskov', 'Ken Thompson', 'Frances Allen', 'Donald Knuth', 'Radia Perlman',
  'Edsger Dijkstra', 'Hedy Lamarr', 'John McCarthy', 'Shafi Goldwasser', 'Tim Berners-Lee', 'Sophie Wilson',
  'Bjarne Stroustrup', 'Adele Goldberg', 'Guido van Rossum', 'Anita Borg', 'James Gosling', 'Karen Spärck Jones',
];

export const GROUP_NAMES = ['engineering', 'operations', 'leadership', 'contractors', 'security-team', 'data-team'];

export const TOPICS = [
  'Deployment', 'Onboarding', 'Incident Response', 'Release', 'Architecture', 'Roadmap', 'Retrospective',
  'API Design', 'Database Migration', 'Monitoring', 'Access Control', 'Backup', 'Capacity Planning',
  'Code Review', 'Feature Flags', 'Load Testing', 'Data Retention', 'Billing', 'Search', 'Caching',
  'Authentication', 'Vendor Evaluation', 'Budget', 'Hiring', 'Q3 Planning', 'Kubernetes', 'CI Pipeline',
];

export const KINDS = [
  'Runbook', 'Guide', 'Overview', 'Checklist', 'Notes', 'Proposal', 'Postmortem', 'FAQ', 'Design Doc',
  'How-to', 'Decision Record', 'Requirements', 'Meeting Notes', 'Status Report', 'Handbook',
];

export const WORDS = [
  'service', 'cluster', 'request', 'latency', 'owner', 'schedule', 'review', 'budget', 'release', 'customer',
  'team', 'process', 'database', 'queue', 'retry', 'timeout', 'dashboard', 'alert', 'metric', 'deadline',
  'rollout', 'config', 'secret', 'token', 'region', 'replica', 'migration', 'index', 'schema', 'contract',
  'approval', 'policy', 'incident', 'on-call', 'escalation', 'document', 'template', 'version', 'branch',
  'artifact', 'pipeline', 'storage', 'network', 'firewall', 'certificate', 'quota', 'throughput', 'backlog',
  'the', 'a', 'and', 'of', 'to', 'for', 'with', 'after', 'before', 'every', 'each', 'new', 'current',
  'must', 'should', 'will', 'can', 'is', 'are', 'was', 'be', 'not', 'only', 'when', 'then',
];

/** Occasional non-ASCII words so consumers must handle Unicode (accents, CJK, emoji outside the BMP). */
export const UNICODE_WORDS = ['café', 'naïve', 'résumé', 'Zürich', '東京', 'データ', 'straße', '🚀', '✅', 'Ωmega'];

export const LANGUAGES: ReadonlyArray<readonly [string, string[]]> = [
  ['java', ['public class Retry {', '  private final int attempts = 3;', '  public boolean ok() { return attempts > 0 && x < y; }', '}']],
  ['python', ['def backoff(attempt: int) -> float:', '    """Exponential backoff with a cap."""', '    return min(30.0, 0.5 * 2 ** attempt)']],
  ['bash', ['#!/usr/bin/env bash', 'set -euo pipefail', 'kubectl rollout status deploy/api -n prod && echo "<done>"']],
  ['sql', ['SELECT id, title', 'FROM pages', "WHERE space_key = 'ENG' AND version > 1", 'ORDER BY id;']],
  ['js', ['const total = items.reduce((sum, x) => sum + x.size, 0);', 'console.log(`total: ${total}`);']],
  ['yaml', ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: ingest-worker', 'spec:', '  replicas: 3']],
];

export const PANELS = ['info', 'note', 'warning', 'tip'] as const;

export const EXTERNAL_LINKS = [
  'https://docs.temporal.io/workflows',
  'https://example.com/runbooks/oncall?team=platform&view=full',
  'https://kubernetes.io/docs/concepts/',
  'https://en.wikipedia.org/wiki/Exponential_backoff',
];

export const FILE_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['txt', 'text/plain'],
  ['csv', 'text/csv'],
  ['json', 'application/json'],
  ['pdf', 'application/pdf'],
];

export const FILE_STEMS = ['meeting notes', 'report-2024', 'inventory', 'Budget Q3', 'export', 'runbook_v2', 'résumé'];
export const IMAGE_STEMS = ['architecture', 'diagram', 'screenshot 2024-03-01', 'flow', 'dashboard', 'org-chart'];
