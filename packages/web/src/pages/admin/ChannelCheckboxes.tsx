import { NOTIFICATION_CHANNELS } from '@alertautec/core';
import type { NotificationChannel } from '../../api/types.js';
import { useT } from '../../i18n/index.js';

/** One checkbox per notification channel, in a labelled fieldset (rules and escalation levels). */
export function ChannelCheckboxes(props: {
  legend: string;
  value: readonly NotificationChannel[];
  onChange: (channels: NotificationChannel[]) => void;
  disabled?: boolean;
}) {
  const { legend, value, onChange, disabled } = props;
  const { t } = useT();
  const toggle = (channel: NotificationChannel, on: boolean) =>
    // Kept in the canonical order so the saved list does not depend on click order.
    onChange(NOTIFICATION_CHANNELS.filter((other) => (other === channel ? on : value.includes(other))));
  return (
    <fieldset className="field channel-checks">
      <legend>{legend}</legend>
      {NOTIFICATION_CHANNELS.map((channel) => (
        <label key={channel} className="checkbox">
          <input type="checkbox" checked={value.includes(channel)} disabled={disabled} onChange={(event) => toggle(channel, event.target.checked)} />
          {t(`outbox.channel.${channel}`)}
        </label>
      ))}
    </fieldset>
  );
}
