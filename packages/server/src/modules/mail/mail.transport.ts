import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';

/** One mail as the delivery adapter sees it. */
export interface OutgoingMail {
  /** The outbox row, for logs (never the address or the body outside development). */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export interface DeliveryReceipt {
  messageId: string | null;
}

/**
 * A delivery adapter: hands one mail to the outside world, or throws. The dispatcher decides about retries;
 * an adapter only says what happened. Kept apart from the dispatcher's claim step so either can move (a later
 * PostgreSQL job runner will call the same adapter).
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'console';
  deliver(mail: OutgoingMail): Promise<DeliveryReceipt>;
  close(): Promise<void>;
}

/** The part of a pino logger the adapters use. */
export interface MailLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

/** SMTP through nodemailer (SMTP_URL, MAIL_FROM). */
export class SmtpTransport implements MailTransport {
  readonly kind = 'smtp';
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    options: { connectionTimeoutMs?: number } = {},
  ) {
    const timeout = options.connectionTimeoutMs ?? 30_000;
    this.transporter = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
    });
  }

  async deliver(mail: OutgoingMail): Promise<DeliveryReceipt> {
    const info = await this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
    });
    const rejected = info.rejected ?? [];
    if (rejected.length > 0) throw new Error('The mail server rejected the recipient.');
    return { messageId: info.messageId ?? null };
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * No mail server configured: the mail is logged instead of sent. In development the log line carries the
 * recipient and the text (with its link), so a developer can follow an invitation; elsewhere only the
 * outbox id, because addresses and sign-up links do not belong in logs. In demo mode the clinic's admin
 * reads the mails in the "Sent mail" view instead.
 */
export class ConsoleTransport implements MailTransport {
  readonly kind = 'console';
  constructor(
    private readonly logger: MailLogger,
    private readonly development: boolean,
  ) {}

  async deliver(mail: OutgoingMail): Promise<DeliveryReceipt> {
    if (this.development) {
      this.logger.info(
        { mailId: mail.id, to: mail.to, subject: mail.subject, text: mail.text },
        'mail sent (console adapter: no SMTP_URL configured)',
      );
    } else {
      this.logger.info({ mailId: mail.id }, 'mail sent (console adapter: no SMTP_URL configured)');
    }
    return { messageId: null };
  }

  async close(): Promise<void> {}
}

export function createMailTransport(config: Config, logger: MailLogger): MailTransport {
  if (config.mail.smtpUrl) return new SmtpTransport(config.mail.smtpUrl, config.mail.from);
  if (config.env === 'production') {
    logger.warn(
      {},
      'SMTP_URL is not set: mail (portal invitations) is only logged, patients will not receive it',
    );
  }
  return new ConsoleTransport(logger, config.env === 'development');
}
