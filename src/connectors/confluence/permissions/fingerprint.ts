// What a page's permissions rest on, as a short string the checkpoint keeps: a restriction, a move, a space grant or a
// group membership changes who may read a page without a new page version, so each run compares this instead.
// Each part is hashed on its own, so a change can be named by the part that moved.
import { createHash } from 'node:crypto';
import type { PermissionsData } from '../../../core/elements';
import type { Grant } from './grants';
import type { SpaceGrants } from './spaceGrants';

/**
 * Why a page's permissions changed: `group` when only the expanded outcome moved (a member joined or left),
 * `included-or-linked` when another page whose text or files it carries changed, `unrecorded` when nothing comparable
 * was recorded (outputs written before fingerprints were kept).
 */
export type DriftReason = 'restriction' | 'move' | 'space-grant' | 'group' | 'included-or-linked' | 'unrecorded';

export interface PermissionsBasis {
  space: SpaceGrants;
  /** Ancestor ids, root first (folders included). */
  chain: readonly string[];
  /** Read restrictions of every ancestor then the page, and the page's own update restriction. */
  restrictions: { read: readonly Grant[]; update: Grant };
  permissionsData: PermissionsData;
  capped: boolean;
}

const VERSION = 'p1';

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

const sorted = (grant: Grant) => ({ users: [...grant.users].sort(), groups: [...grant.groups].sort() });

/** The parts in a fixed order: space grants, ancestor chain, restrictions, and the outcome written to outputs. */
export function permissionsFingerprint(basis: PermissionsBasis): string {
  const { space, chain, restrictions, permissionsData, capped } = basis;
  const parts = [
    digest([sorted(space.read), sorted(space.edit), sorted(space.delete)]),
    digest(chain),
    digest({ read: restrictions.read.map(sorted), update: sorted(restrictions.update) }),
    digest({ permissionsData, capped }),
  ];
  return [VERSION, ...parts].join('.');
}

const PART_REASONS: readonly DriftReason[] = ['space-grant', 'move', 'restriction'];

/** Why `current` differs from `recorded` (empty when it does not); one not recorded, or of another shape, is named so. */
export function driftReasons(recorded: string | undefined, current: string): DriftReason[] {
  if (recorded === current) return [];
  const before = recorded?.split('.') ?? [];
  const after = current.split('.');
  if (before.length !== after.length || before[0] !== after[0]) return ['unrecorded'];
  const reasons = PART_REASONS.filter((_, i) => before[i + 1] !== after[i + 1]);
  // A move brings the restrictions of its new ancestors with it: the move is the reason.
  const named = reasons.includes('move') ? reasons.filter((r) => r !== 'restriction') : reasons;
  return named.length > 0 ? named : ['group'];
}
