import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message } from '../../src/channels/channel.types';

/** One request as the peer received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the peer answers; `json` is serialised with content-type application/json. */
export interface PeerAnswer {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** A local HTTP server standing in for a provider API; answers via `respond`. */
export interface ProviderPeer {
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 with a free port. Every request is recorded, then
 * answered by `respond` (which may inspect the request and its history).
 */
export async function startPeer(respond: (req: RecordedRequest, index: number) => PeerAnswer): Promise<ProviderPeer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      let answer: PeerAnswer;
      try {
        answer = respond(recorded, requests.length - 1);
      } catch (error) {
        answer = { status: 599, text: `peer assertion failed: ${(error as Error).message}` };
      }
      const headers: Record<string, string> = { ...answer.headers };
      let body = answer.text ?? '';
      if (answer.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(answer.json);
      }
      res.writeHead(answer.status, headers).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A missing-child alert with every optional field, as the notifications core would render it. */
export const alertMessage: Message = {
  title: "Missing child: Léa, 7, near Parc de la Tête d'Or",
  body: 'Last seen at 16:40 wearing a red coat & blue boots.\nCall 17 if you see her.',
  url: 'https://app.example.org/cases/c-123',
  photoUrl: 'https://cdn.example.org/photos/c-123.jpg',
  category: 'CASE_ALERT',
  urgency: 'HIGH',
};

/** A plant-care reminder without link or photo. */
export const reminderMessage: Message = {
  title: 'Time to water your Monstera',
  body: 'It has been 7 days since the last watering.',
  category: 'PLANT_REMINDER',
  urgency: 'NORMAL',
};
