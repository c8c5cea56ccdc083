'use strict';
// A scripted chat model: an OpenAI-compatible `POST /v1/chat/completions` server on
// 127.0.0.1 that answers from a script instead of thinking, and records every request it
// gets. n8n's OpenAI Chat Model node reaches it through an `openAiApi` credential whose
// Base URL is `<url>/v1`. It knows nothing about the tools it is scripted to call.
//
//   const model = await startScriptedModel();
//   model.script([
//     { toolCalls: [{ name: 'Some_Tool', args: { a: 1 } }] },  // first answer
//     { text: 'Done.' },                                        // after the tool results
//   ]);
//   ... run the agent ...
//   model.toolMessages()  // every `role: "tool"` message n8n sent back, in order
//
// An answer may also be a function of the request body returning such an answer, or
// `{ status: 500, error: 'message' }`: an HTTP error in OpenAI's error shape instead of a
// completion (a model that fails once). When the script runs out the model answers
// `{ text: 'Done.' }`, so an agent never loops on it.
const http = require('node:http');
const { readRequest, recordOf, send: sendJson } = require('../../lab/http');

/** The assistant message of an answer, in OpenAI's shape; tool call ids are `call_<n>`. */
function assistantMessage(answer, nextCallId) {
	if (answer.toolCalls && answer.toolCalls.length > 0) {
		return {
			role: 'assistant',
			content: answer.text ?? null,
			tool_calls: answer.toolCalls.map((call) => ({
				id: call.id ?? nextCallId(),
				type: 'function',
				function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
			})),
		};
	}
	return { role: 'assistant', content: answer.text ?? 'Done.' };
}

function completion(model, message) {
	return {
		id: `chatcmpl-scripted-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as server-sent events, for a client that asked for `stream: true`. */
function sendStream(res, model, message) {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = {
		id: `chatcmpl-scripted-${Date.now()}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model,
	};
	const delta = { role: 'assistant', content: message.content ?? '' };
	if (message.tool_calls)
		delta.tool_calls = message.tool_calls.map((call, index) => ({ index, ...call }));
	const chunks = [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{
			...base,
			choices: [{ index: 0, delta: {}, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
		},
	];
	for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
	res.end('data: [DONE]\n\n');
}

/**
 * @param {{ port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, requests: object[], script, reset, toolMessages, close }>}
 */
async function startScriptedModel(options = {}) {
	let answers = [];
	let callCount = 0;
	const requests = [];
	const history = [];
	const nextCallId = () => `call_${++callCount}`;

	const server = http.createServer(async (req, res) => {
		const request = await readRequest(req);
		const { json } = request;
		const record = recordOf(req, request);
		const { path } = record;
		requests.push(record);
		history.push(record);

		if (req.method === 'GET' && path === '/v1/models') {
			return sendJson(res, 200, {
				object: 'list',
				data: [{ id: 'scripted', object: 'model', owned_by: 'e2e' }],
			});
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions' || !json) {
			return sendJson(res, 404, { error: { message: `not scripted: ${req.method} ${path}` } });
		}
		let answer = answers.length > 0 ? answers.shift() : { text: 'Done.' };
		if (typeof answer === 'function') answer = answer(json);
		if (answer.status) {
			return sendJson(res, answer.status, {
				error: { message: answer.error ?? 'scripted failure', type: 'server_error', code: null },
			});
		}
		const message = assistantMessage(answer, nextCallId);
		if (json.stream) return sendStream(res, json.model, message);
		return sendJson(res, 200, completion(json.model, message));
	});
	// Never the reason the suite's process stays alive.
	server.unref();
	server.on('connection', (socket) => socket.unref());

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', resolve);
	});
	const { port } = server.address();

	const chatRequests = () => requests.filter((r) => r.path === '/v1/chat/completions' && r.json);
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		/** Every request, in arrival order: { method, path, headers, body (raw text), json }. */
		requests,
		/** Every request since the server started: `reset()` leaves it. */
		history,
		/** Replaces the script: the answers still to give, in order. */
		script(next) {
			answers = [...next];
		},
		/** Answers not given yet. */
		get remaining() {
			return answers.length;
		},
		reset() {
			answers = [];
			requests.length = 0;
			callCount = 0;
		},
		chatRequests,
		/**
		 * Every `role: "tool"` message the client sent, once each (a later request repeats the
		 * earlier ones), in order: { tool_call_id, content, parsed (content as JSON, or null) }.
		 */
		toolMessages() {
			const seen = new Map();
			for (const request of chatRequests()) {
				for (const message of request.json.messages || []) {
					if (message.role !== 'tool' || seen.has(message.tool_call_id)) continue;
					let parsed = null;
					try {
						parsed = JSON.parse(message.content);
					} catch {
						parsed = null;
					}
					seen.set(message.tool_call_id, {
						tool_call_id: message.tool_call_id,
						content: message.content,
						parsed,
					});
				}
			}
			return [...seen.values()];
		},
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startScriptedModel };
