import type { Config } from '../../config.ts';

/**
 * Sends one text message. Kapstone ships no SMS gateway (one is a contract with a provider outside our
 * control); a deployment plugs its own in behind this interface. A send that throws is retried by the job
 * runner (the message is a queued job, kind 'reminder.sms').
 */
export interface SmsAdapter {
  readonly kind: string;
  send(to: string, text: string): Promise<void>;
}

/** The last digits of a number, the rest masked: what a log line may show. */
export function redactPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 2 ? '***' : `***${digits.slice(-2)}`;
}

/** Logs a redacted line instead of sending (development, demos, and any deployment without a gateway). */
export class ConsoleSmsAdapter implements SmsAdapter {
  readonly kind = 'console';
  constructor(private readonly log: { info(msg: string): void }) {}
  async send(to: string, text: string): Promise<void> {
    this.log.info(`sms to ${redactPhone(to)} (${text.length} characters; console adapter, not sent)`);
  }
}

/** Sends nothing: text reminders are turned off for the whole deployment. */
export class OffSmsAdapter implements SmsAdapter {
  readonly kind = 'off';
  async send(): Promise<void> {}
}

export function createSmsAdapter(config: Config, log: { info(msg: string): void }): SmsAdapter {
  return config.sms.adapter === 'off' ? new OffSmsAdapter() : new ConsoleSmsAdapter(log);
}
