/** Deployment settings of the harm reduction pillar, from the environment (checked at start-up). */
import { DEFAULT_UIC_FORMAT, isValidUicFormat } from '../../core/uic.js';
import { DEFAULT_LTFU_DAYS } from '../../core/harm-reduction.js';

export interface OutreachConfig {
  /** TONLE_UIC_FORMAT, default M2F2SYYMMDD */
  uicFormat: string;
  /** TONLE_LTFU_DAYS: days without a contact after which a client is lost to follow-up, default 90 */
  ltfuDays: number;
}

export function loadOutreachConfig(env: NodeJS.ProcessEnv = process.env): OutreachConfig {
  const uicFormat = env.TONLE_UIC_FORMAT || DEFAULT_UIC_FORMAT;
  if (!isValidUicFormat(uicFormat)) throw new Error(`TONLE_UIC_FORMAT=${uicFormat} is not a valid UIC format (for example M2F2SYYMMDD)`);
  const ltfuDays = env.TONLE_LTFU_DAYS ? Number(env.TONLE_LTFU_DAYS) : DEFAULT_LTFU_DAYS;
  if (!Number.isInteger(ltfuDays) || ltfuDays < 1 || ltfuDays > 3650) throw new Error(`TONLE_LTFU_DAYS=${env.TONLE_LTFU_DAYS} must be a whole number of days (1–3650)`);
  return { uicFormat, ltfuDays };
}
