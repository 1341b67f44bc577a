import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/channels/delivery.error';
import { EmailSender } from '../../src/channels/email.sender';
import { alertMessage, closedPort, reminderMessage } from './provider.peer';

interface ReceivedMail {
  from: string;
  to: string[];
  user?: string;
  raw: string;
}

/** Unfolds headers and decodes RFC 2047 encoded-words (what nodemailer emits for UTF-8). */
function decodeHeader(value: string): string {
  return value
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`)
    .replace(/%(?![0-9A-F]{2})/gi, '%25');
  return decodeURIComponent(bytes);
}

/** Splits a raw message into headers and the decoded text/plain and text/html parts. */
function parseMail(raw: string): { headers: Record<string, string>; text?: string; html?: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  const body = rest.join('\n\n');
  const result: { headers: Record<string, string>; text?: string; html?: string } = { headers };
  for (const part of boundary ? body.split(`--${boundary}`) : []) {
    const [partHead, ...partBody] = part.split(/\r?\n\r?\n/);
    const encoded = partBody.join('\n\n').trim();
    const decoded = /quoted-printable/i.test(partHead)
      ? decodeQuotedPrintable(encoded)
      : /base64/i.test(partHead)
        ? Buffer.from(encoded, 'base64').toString('utf8')
        : encoded;
    if (/text\/plain/i.test(partHead)) result.text = decoded.replace(/\r\n/g, '\n');
    if (/text\/html/i.test(partHead)) result.html = decoded.replace(/\r\n/g, '\n');
  }
  return result;
}

describe('EmailSender against a real SMTP server', () => {
  const received: ReceivedMail[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 's3cret') return callback(null, { user: auth.username });
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('unknown@')) {
          return callback(Object.assign(new Error('Mailbox does not exist'), { responseCode: 550 }));
        }
        if (address.address.startsWith('greylisted@')) {
          return callback(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
        }
        return callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const config = () => ({
    host: '127.0.0.1',
    port,
    secure: false,
    user: 'mailer',
    pass: 's3cret',
    from: '"Alerts" <alerts@example.org>',
  });

  it('authenticates and delivers subject, plain text and HTML to the recipient', async () => {
    const sender = new EmailSender(config());
    expect(sender.isConfigured()).toBe(true);
    await sender.send({ email: 'parent@example.net', name: 'Sam Parent' }, alertMessage);

    const mail = received.at(-1) as ReceivedMail;
    expect(mail.user).toBe('mailer');
    expect(mail.from).toBe('alerts@example.org');
    expect(mail.to).toEqual(['parent@example.net']);
    const parsed = parseMail(mail.raw);
    expect(decodeHeader(parsed.headers.subject)).toBe(alertMessage.title);
    expect(parsed.headers.from).toContain('alerts@example.org');
    expect(parsed.headers.to).toContain('Sam Parent');
    expect(parsed.headers['x-notification-category']).toBe('CASE_ALERT');
    expect(parsed.text).toContain('Last seen at 16:40 wearing a red coat & blue boots.');
    expect(parsed.text).toContain('https://app.example.org/cases/c-123');
    expect(parsed.html).toContain('red coat &amp; blue boots.<br>Call 17');
    expect(parsed.html).toContain('href="https://app.example.org/cases/c-123"');
    expect(parsed.html).toContain('src="https://cdn.example.org/photos/c-123.jpg"');
  });

  it('sends without credentials when none are configured', async () => {
    const sender = new EmailSender({ host: '127.0.0.1', port, from: 'plants@example.org' });
    await sender.send({ email: 'gardener@example.net' }, reminderMessage);
    const mail = received.at(-1) as ReceivedMail;
    expect(mail.user).toBeUndefined();
    expect(mail.to).toEqual(['gardener@example.net']);
    expect(parseMail(mail.raw).text).toBe(`${reminderMessage.title}\n\n${reminderMessage.body}`);
  });

  it('treats a 550 unknown mailbox as permanent', async () => {
    const error = await new EmailSender(config())
      .send({ email: 'unknown@example.net' }, reminderMessage)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ channel: 'EMAIL', retryable: false, permanent: true, status: 550 });
    expect((error as Error).message).toContain('Mailbox does not exist');
  });

  it('treats a 451 temporary refusal as retryable', async () => {
    const error = await new EmailSender(config())
      .send({ email: 'greylisted@example.net' }, reminderMessage)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, status: 451 });
  });

  it('reports wrong credentials as a permanent authentication failure', async () => {
    const error = await new EmailSender({ ...config(), pass: 'wrong' })
      .send({ email: 'a@example.net' }, reminderMessage)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, permanent: true, providerCode: 'EAUTH' });
    expect((error as Error).message).toMatch(/SMTP authentication failed/);
  });

  it('treats an unreachable server as retryable', async () => {
    const sender = new EmailSender({ host: '127.0.0.1', port: await closedPort(), from: 'a@example.org' });
    const error = await sender.send({ email: 'a@example.net' }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({ channel: 'EMAIL', retryable: true });
  });

  it('is unconfigured without SMTP settings and explains missing addresses', () => {
    expect(new EmailSender().isConfigured()).toBe(false);
    expect(new EmailSender().unavailableReason({ email: 'a@example.net' })).toMatch(/not configured/);
    expect(new EmailSender(config()).unavailableReason({ phone: '+33600000000' })).toMatch(/no e-mail address/);
    expect(new EmailSender(config()).unavailableReason({ email: 'a@example.net' })).toBeNull();
  });
});
