/**
 * A local stand-in for an OpenAI-compatible chat model, on 127.0.0.1, so a real n8n AI Agent can
 * be driven without any network: n8n's OpenAI credential takes its Base URL (`url`).
 *
 * Each conversation names its scenario in the prompt (`[[scenario:NAME]]`). A scenario is a list
 * of rounds of tool calls: the stub answers the first request with round 0's tool calls, the
 * request that carries their results with round 1's, and so on; once the rounds are spent it
 * answers with a final text. Everything the agent sent is recorded per scenario: the tools it
 * offered (name, description, JSON schema) and each tool result message, which is exactly what
 * the tool returned to the model.
 *
 * Routes: POST /v1/chat/completions (plain JSON or `stream: true` as server-sent events),
 * GET /v1/models. Anything else is a 404 that the test sees in the recorded `unhandled` list.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface StubToolCall {
	/** The function name as n8n offers it: the tool node's name with other characters as `_`. */
	name: string;
	arguments: Record<string, unknown>;
}

export interface OfferedTool {
	name: string;
	description: string;
	parameters: { type?: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface ToolResultMessage {
	toolCallId: string;
	/** The function the result belongs to (from the assistant message that called it). */
	name: string | undefined;
	/** What the tool returned to the model (n8n sends JSON text). */
	content: string;
}

export interface ScenarioLog {
	requests: number;
	tools: OfferedTool[];
	toolResults: ToolResultMessage[];
	finalAnswer?: string;
}

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
}

export class LlmStub {
	private readonly scenarios = new Map<string, StubToolCall[][]>();
	private readonly logs = new Map<string, ScenarioLog>();
	readonly unhandled: string[] = [];
	private callCounter = 0;

	private constructor(private readonly server: http.Server, readonly url: string) {}

	static async start(): Promise<LlmStub> {
		let stub!: LlmStub;
		const server = http.createServer((req, res) => {
			stub.handle(req, res).catch((error: Error) => {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: error.message, type: 'stub_error' } }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		stub = new LlmStub(server, `http://127.0.0.1:${port}/v1`);
		return stub;
	}

	/** What the model does in a conversation whose prompt contains `[[scenario:name]]`. */
	script(name: string, rounds: StubToolCall[][]): string {
		this.scenarios.set(name, rounds);
		return `[[scenario:${name}]]`;
	}

	log(name: string): ScenarioLog {
		return this.logs.get(name) ?? { requests: 0, tools: [], toolResults: [] };
	}

	/** The results of one tool in a scenario, parsed (n8n sends them as JSON text). */
	parsedResults(name: string, tool?: string): unknown[] {
		return this.log(name)
			.toolResults.filter((r) => tool === undefined || r.name === tool)
			.map((r) => {
				try {
					return JSON.parse(r.content) as unknown;
				} catch {
					return r.content;
				}
			});
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const path = (req.url ?? '').split('?')[0];
		if (req.method === 'GET' && path === '/v1/models') {
			return json(res, 200, { object: 'list', data: [{ id: 'stub-model', object: 'model', created: 0, owned_by: 'stub' }] });
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions') {
			this.unhandled.push(`${req.method} ${path}`);
			return json(res, 404, { error: { message: `stub: no route ${req.method} ${path}`, type: 'invalid_request_error' } });
		}
		const body = JSON.parse(await readBody(req)) as {
			model?: string;
			stream?: boolean;
			messages: ChatMessage[];
			tools?: Array<{ type: string; function: OfferedTool }>;
		};
		const name = scenarioOf(body.messages);
		const rounds = name === undefined ? undefined : this.scenarios.get(name);
		if (name === undefined || rounds === undefined) {
			return json(res, 400, { error: { message: `stub: no scenario in the prompt (${name ?? 'none'})`, type: 'invalid_request_error' } });
		}
		const log = this.logs.get(name) ?? { requests: 0, tools: [], toolResults: [] };
		this.logs.set(name, log);
		log.requests++;
		log.tools = (body.tools ?? []).map((t) => t.function);
		// Every tool result in the history, recorded once (the agent resends the history each round).
		const calledNames = new Map<string, string>();
		for (const m of body.messages) for (const call of m.tool_calls ?? []) calledNames.set(call.id, call.function.name);
		for (const m of body.messages) {
			if (m.role !== 'tool' || !m.tool_call_id || log.toolResults.some((r) => r.toolCallId === m.tool_call_id)) continue;
			log.toolResults.push({ toolCallId: m.tool_call_id, name: calledNames.get(m.tool_call_id), content: textOf(m.content) });
		}

		const round = body.messages.filter((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0).length;
		const model = body.model ?? 'stub-model';
		if (round < rounds.length) {
			const calls = rounds[round].map((c) => ({
				id: `call_${++this.callCounter}`,
				type: 'function' as const,
				function: { name: c.name, arguments: JSON.stringify(c.arguments) },
			}));
			return this.answer(res, body.stream === true, model, { role: 'assistant', content: null, tool_calls: calls }, 'tool_calls');
		}
		const results = log.toolResults.map((r) => r.content).join('\n');
		log.finalAnswer = `Done (${name}). Tool results:\n${results}`;
		return this.answer(res, body.stream === true, model, { role: 'assistant', content: log.finalAnswer }, 'stop');
	}

	private answer(
		res: http.ServerResponse,
		stream: boolean,
		model: string,
		message: { role: 'assistant'; content: string | null; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> },
		finishReason: 'tool_calls' | 'stop',
	): void {
		const id = `chatcmpl-stub-${++this.callCounter}`;
		const created = Math.floor(Date.now() / 1000);
		const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
		if (!stream) {
			return json(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }], usage });
		}
		// Server-sent events in OpenAI's chunk shape: the whole message in one delta, then the finish.
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		const delta = {
			role: 'assistant',
			content: message.content,
			...(message.tool_calls ? { tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })) } : {}),
		};
		const chunk = (choice: unknown, extra: Record<string, unknown> = {}) =>
			`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [choice], ...extra })}\n\n`;
		res.write(chunk({ index: 0, delta, finish_reason: null }));
		res.write(chunk({ index: 0, delta: {}, finish_reason: finishReason }, { usage }));
		res.end('data: [DONE]\n\n');
	}
}

function scenarioOf(messages: ChatMessage[]): string | undefined {
	for (const m of messages) {
		const match = /\[\[scenario:([A-Za-z0-9_-]+)\]\]/.exec(textOf(m.content));
		if (match) return match[1];
	}
	return undefined;
}

/** Message content is a string or a list of parts ({ type: 'text', text }). */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : String((p as { text?: unknown }).text ?? ''))).join('');
	return content === null || content === undefined ? '' : JSON.stringify(content);
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(value));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}
