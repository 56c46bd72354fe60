// A stand-in for the OpenAI chat completions API (node:http), enough for the real `openai` client:
// a plain request answers with a tool call; a streamed request answers in server-sent chunks
// and, when asked (stream_options.include_usage), a final usage chunk.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_MODEL = 'gpt-4o-mini-2024-07-18';
export const TOOL_CALL_USAGE = { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 };
export const STREAM_USAGE = { prompt_tokens: 85, completion_tokens: 9, total_tokens: 94 };
export const ANSWER_CHUNKS = ['It is ', 'sunny in Paris, ', '21 °C.'];
export const ANSWER = ANSWER_CHUNKS.join('');

export interface FakeOpenAi {
  url: string;
  requests: unknown[];
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
      requests.push(body);
      const created = Math.floor(Date.now() / 1000);
      if (!body.stream) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-tool',
            object: 'chat.completion',
            created,
            model: FAKE_MODEL,
            choices: [
              {
                index: 0,
                finish_reason: 'tool_calls',
                message: {
                  role: 'assistant',
                  content: null,
                  tool_calls: [{ id: 'call_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
                },
              },
            ],
            usage: TOOL_CALL_USAGE,
          }),
        );
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      const send = (data: unknown): boolean => res.write(`data: ${JSON.stringify(data)}\n\n`);
      const chunk = (delta: object, finish: string | null) => ({
        id: 'chatcmpl-stream',
        object: 'chat.completion.chunk',
        created,
        model: FAKE_MODEL,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
      send(chunk({ role: 'assistant', content: '' }, null));
      for (const text of ANSWER_CHUNKS) send(chunk({ content: text }, null));
      send(chunk({}, 'stop'));
      if (body.stream_options?.include_usage) {
        send({ id: 'chatcmpl-stream', object: 'chat.completion.chunk', created, model: FAKE_MODEL, choices: [], usage: STREAM_USAGE });
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
