import { afterEach, describe, expect, it } from 'vitest';
import { TelegramSender } from '../../src/channels/telegram.sender';
import {
  alertMessage,
  reminderMessage,
  startPeer,
  type PeerAnswer,
  type ProviderPeer,
  type RecordedRequest,
} from './provider.peer';

const TOKEN = '123456:AAE-test_token';

describe('TelegramSender against a local Bot API server', () => {
  let peer: ProviderPeer | undefined;
  afterEach(async () => {
    await peer?.close();
    peer = undefined;
  });

  /** A Bot API peer checking what every real call must look like, answering with `answer`. */
  async function botApi(answer: (req: RecordedRequest, method: string, index: number) => PeerAnswer) {
    peer = await startPeer((req, index) => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
      if (req.method !== 'POST' || !match)
        return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
      if (decodeURIComponent(match[1]) !== TOKEN)
        return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: expected JSON' } };
      }
      return answer(req, match[2], index);
    });
    return new TelegramSender({ botToken: TOKEN, baseUrl: peer.baseUrl });
  }
  const ok = (): PeerAnswer => ({ status: 200, json: { ok: true, result: { message_id: 1 } } });
  const body = (req: RecordedRequest) => JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;

  it('sends text with sendMessage in HTML parse mode, escaping the message', async () => {
    const sender = await botApi(() => ok());
    await sender.send(
      { telegramChatId: '424242' },
      { ...reminderMessage, body: 'Soil <dry> & pale', url: 'https://app.example.org/plants/p1' },
    );
    const [req] = (peer as ProviderPeer).requests;
    expect(req.path).toBe(`/bot${TOKEN}/sendMessage`);
    const sent = body(req);
    expect(sent.chat_id).toBe('424242');
    expect(sent.parse_mode).toBe('HTML');
    expect(sent.text).toBe(
      '<b>Time to water your Monstera</b>\nSoil &lt;dry&gt; &amp; pale\n\n<a href="https://app.example.org/plants/p1">Open</a>',
    );
  });

  it('sends the photo with sendPhoto and the text as caption', async () => {
    const sender = await botApi(() => ok());
    await sender.send({ telegramChatId: '-100200300' }, alertMessage);
    const requests = (peer as ProviderPeer).requests;
    expect(requests.map((r) => r.path)).toEqual([`/bot${TOKEN}/sendPhoto`]);
    const sent = body(requests[0]);
    expect(sent.photo).toBe(alertMessage.photoUrl);
    expect(sent.chat_id).toBe('-100200300');
    expect(String(sent.caption)).toContain('<b>Missing child: Léa, 7');
    expect(String(sent.caption)).toContain('red coat &amp; blue boots');
  });

  it('falls back to sendMessage when Telegram cannot fetch the photo', async () => {
    const sender = await botApi((_req, method) =>
      method === 'sendPhoto'
        ? {
            status: 400,
            json: { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' },
          }
        : ok(),
    );
    await sender.send({ telegramChatId: '1' }, alertMessage);
    expect((peer as ProviderPeer).requests.map((r) => r.path)).toEqual([
      `/bot${TOKEN}/sendPhoto`,
      `/bot${TOKEN}/sendMessage`,
    ]);
  });

  it('maps 429 with parameters.retry_after to a retryable error with the delay', async () => {
    const sender = await botApi(() => ({
      status: 429,
      json: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    }));
    const error = await sender.send({ telegramChatId: '1' }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({ channel: 'TELEGRAM', retryable: true, retryAfterMs: 7000, status: 429 });
    expect((error as Error).message).toBe('Telegram sendMessage failed (429): Too Many Requests: retry after 7');
  });

  it('treats a blocked bot (403) as permanent and a 502 as retryable', async () => {
    let sender = await botApi(() => ({
      status: 403,
      json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    }));
    let error = await sender.send({ telegramChatId: '1' }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false, permanent: true, status: 403 });
    await peer?.close();

    sender = await botApi(() => ({ status: 502, text: '<html>Bad Gateway</html>' }));
    error = await sender.send({ telegramChatId: '1' }, reminderMessage).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, status: 502 });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('is unconfigured without a token and needs a chat id', () => {
    expect(new TelegramSender().isConfigured()).toBe(false);
    expect(new TelegramSender().unavailableReason({ telegramChatId: '1' })).toMatch(/not configured/);
    expect(new TelegramSender({ botToken: TOKEN }).unavailableReason({})).toMatch(/Telegram chat/);
  });
});
