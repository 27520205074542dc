import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';
import { ConsoleTransport, createMailTransport, type MailLogger } from './mail.transport.ts';

function recordingLogger() {
  const lines: { level: string; object: Record<string, unknown>; message: string }[] = [];
  const logger: MailLogger = {
    info: (object, message) => lines.push({ level: 'info', object, message }),
    warn: (object, message) => lines.push({ level: 'warn', object, message }),
  };
  return { lines, logger };
}

const mail = {
  id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  to: 'patient@mail.test',
  subject: 'Your invitation',
  text: 'Open http://localhost:3000/invite/secret-token',
  html: null,
};

describe('mail configuration', () => {
  it('selects SMTP when SMTP_URL and MAIL_FROM are set', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://user:pass@smtp.example.org:465',
      MAIL_FROM: 'Lakeside Clinic <no-reply@lakeside.example.org>',
    });
    expect(config.mail).toEqual({
      smtpUrl: 'smtps://user:pass@smtp.example.org:465',
      from: 'Lakeside Clinic <no-reply@lakeside.example.org>',
    });
    expect(createMailTransport(config, recordingLogger().logger).kind).toBe('smtp');
  });

  it('asks for MAIL_FROM with SMTP_URL, and refuses URLs and senders that are not', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://localhost:25' })).toThrow(
      /MAIL_FROM: required with SMTP_URL/,
    );
    try {
      loadConfig({ SMTP_URL: 'https://smtp.example.org', MAIL_FROM: 'nobody' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('SMTP_URL: must be an smtp://'))).toBe(true);
      expect(problems.some((p) => p.startsWith('MAIL_FROM: must be an address'))).toBe(true);
      // The URL may carry a password: the problem names the variable, never its value.
      expect(problems.join('\n')).not.toContain('smtp.example.org');
    }
    expect(loadConfig({ MAIL_FROM: 'no-reply@clinic.example.org' }).mail.from).toBe(
      'no-reply@clinic.example.org',
    );
  });

  it('falls back to the console adapter, and warns in production that nothing is sent', () => {
    const { lines, logger } = recordingLogger();
    expect(createMailTransport(loadConfig({}), logger).kind).toBe('console');
    expect(lines).toEqual([]);
    const production = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://k@db/kap',
      KAPSTONE_SECRET_KEY: 'k'.repeat(44),
    });
    expect(createMailTransport(production, logger).kind).toBe('console');
    expect(lines[0]).toMatchObject({
      level: 'warn',
      message: expect.stringContaining('SMTP_URL is not set'),
    });
  });
});

describe('the console adapter', () => {
  it('logs the recipient and the link in development only', async () => {
    const dev = recordingLogger();
    await new ConsoleTransport(dev.logger, true).deliver(mail);
    expect(dev.lines[0]!.object).toMatchObject({ mailId: mail.id, to: mail.to, text: mail.text });

    const other = recordingLogger();
    await new ConsoleTransport(other.logger, false).deliver(mail);
    expect(other.lines[0]!.object).toEqual({ mailId: mail.id });
    expect(JSON.stringify(other.lines)).not.toContain('secret-token');
    expect(JSON.stringify(other.lines)).not.toContain('patient@mail.test');
  });
});
