import type { EscalationPolicy } from '../../api/types.js';
import type { MessageKey, Vars } from '../../i18n/index.js';
import type { LevelDraft } from './EscalationLevelEditor.js';

/** The policy as the editor holds it: numbers as typed. */
export interface PolicyDraft {
  levels: LevelDraft[];
  repeat: string;
}

export const MAX_LEVELS = 10;
const MAX_MINUTES = 10_080;

export const toDraft = (policy: EscalationPolicy): PolicyDraft => ({
  levels: policy.levels.map((level) => ({ ...level, afterMinutes: String(level.afterMinutes) })),
  repeat: String(policy.repeat),
});

/** A new level: the authorities by e-mail, half an hour after the one before. */
export const newLevel = (): LevelDraft => ({ afterMinutes: '30', notify: { roles: ['authority'] }, channels: ['email'] });

/**
 * Checks the draft as the server would (docs/escalation.md) and returns either the policy
 * to send or what is wrong, as message keys; the server still has the last word.
 */
export function checkDraft(draft: PolicyDraft): { policy: EscalationPolicy } | { problems: [MessageKey, Vars][] } {
  const problems: [MessageKey, Vars][] = [];
  const levels = draft.levels.map((level, index) => {
    const n = index + 2;
    const afterMinutes = Number(level.afterMinutes);
    if (level.afterMinutes.trim() === '' || !Number.isFinite(afterMinutes) || afterMinutes <= 0 || afterMinutes > MAX_MINUTES) {
      problems.push(['escalation.invalidMinutes', { n, max: MAX_MINUTES }]);
    }
    const { roles = [], userIds = [], departmentContact = false } = level.notify;
    if (roles.length === 0 && userIds.length === 0 && !departmentContact) problems.push(['escalation.nobody', { n }]);
    if (level.channels.length === 0) problems.push(['escalation.noChannels', { n }]);
    const notify = { ...(roles.length ? { roles } : {}), ...(userIds.length ? { userIds } : {}), ...(departmentContact ? { departmentContact } : {}) };
    return { afterMinutes, notify, channels: level.channels };
  });
  if (levels.length === 0 || levels.length > MAX_LEVELS) problems.push(['escalation.levelCount', { max: MAX_LEVELS }]);
  const repeat = Number(draft.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10) problems.push(['escalation.invalidRepeat', {}]);
  return problems.length > 0 ? { problems } : { policy: { levels, repeat } };
}
