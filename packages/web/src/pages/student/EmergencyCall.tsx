import type { Department } from '../../api/types.js';
import { useT } from '../../i18n/index.js';
import { telHref, useServerConfig } from '../../server-config.js';

/**
 * For a critical report: tap-to-call links to the campus emergency number (EMERGENCY_PHONE,
 * from GET /api/config) and, when known, the phone of the department the report goes to.
 * Shown before and after submitting; calling never waits for the report.
 */
export function EmergencyCall({ department }: { department?: Department | null }) {
  const { t } = useT();
  const config = useServerConfig();
  const emergency = config?.emergencyPhone ?? null;
  const departmentPhone = department?.phone ?? null;
  if (!emergency && !departmentPhone) return null;
  return (
    <section className="notice notice-error emergency-call" aria-labelledby="emergency-call-title">
      <h2 id="emergency-call-title">{t('emergency.title')}</h2>
      <p>{t('emergency.lead')}</p>
      <div className="button-row">
        {emergency && (
          <a className="button button-emergency" href={telHref(emergency)}>
            {t('emergency.call', { phone: emergency })}
          </a>
        )}
        {department && departmentPhone && (
          <a className="button" href={telHref(departmentPhone)}>
            {t('emergency.callDepartment', { department: department.name, phone: departmentPhone })}
          </a>
        )}
      </div>
    </section>
  );
}
