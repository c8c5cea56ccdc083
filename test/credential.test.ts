import { Workflow, type IHttpRequestOptions, type INodeTypes } from 'n8n-workflow';

import { HostCredentialsHelper } from './harness/host';
import { sandboxCredential } from './harness/helpers';
import { useRawServer } from './harness/raw';
import { testCredential } from './harness/credentialTest';
import { credentialType, orderNode } from './harness/n8n';
import { nodeTypes } from './harness/nodeTypes';
import { LIST_SHAPES, useSandbox } from './harness/sandbox';

const sandbox = useSandbox();
const raw = useRawServer();

const node = orderNode({});
const workflow = new Workflow({
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes: nodeTypes as INodeTypes,
});

/** The headers n8n adds to a request made with this credential (its `authenticate` block). */
async function authenticatedHeaders(apiKey: string, baseUrl: string) {
	const helper = new HostCredentialsHelper(new Map(), credentialType);
	const request: IHttpRequestOptions = { url: '/api/v2/order/newscale', headers: {} };
	const signed = await helper.authenticate(
		{ apiKey, baseUrl },
		credentialType.name,
		request,
		workflow,
		node,
	);
	return signed.headers ?? {};
}

/** Where the credential test sends its request, as n8n evaluates it. */
function testRequestBase(baseUrl: string): unknown {
	return workflow.expression.getSimpleParameterValue(
		node,
		credentialType.test.request.baseURL as string,
		'internal',
		{ $credentials: { apiKey: 'sk_live_whatever', baseUrl } },
		undefined,
		'',
	);
}

const OK = { status: 'OK', message: 'Connection successful!' };
const NOT_THE_API =
	'The Base URL did not answer like the StatProxies API (a web page or an empty answer came back). Check the Base URL.';

describe('The credential test checks the key with a read-only request, never buying', () => {
	test('a good key: OK, after one GET /api/v2/order/list with Authorization: Bearer <key>', async () => {
		const result = await testCredential(sandboxCredential(sandbox));

		expect(result).toEqual(OK);
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0]).toMatchObject({ method: 'GET', path: '/api/v2/order/list' });
		expect(sandbox.requests[0].headers.authorization).toBe(`Bearer ${sandbox.keys.full}`);
		expect(sandbox.orderRequests).toEqual([]);
		expect(sandbox.orders).toEqual([]);
	});

	// The list's answer is not documented. n8n's routing node makes one item per element of a
	// JSON list, and none of an empty one, where n8n's tester then fails on the first item.
	test.each(LIST_SHAPES)(
		'a good key passes whatever shape the order list has: %s',
		async (shape) => {
			sandbox.setListShape(shape);
			await expect(testCredential(sandboxCredential(sandbox))).resolves.toEqual(OK);
			expect(sandbox.requests).toHaveLength(1);
		},
	);

	test.each([
		['an empty list', '[]'],
		['an empty list, spaced', '[ ]'],
		['an empty list, pretty-printed after a blank line', '\n[\n]\n'],
		['an empty object', '{}'],
		['an object whose first key starts with "e"', '{"entries":[],"error_count":0}'],
		['a list of orders', '[{"order_id":"sub_1abc"},{"order_id":"sub_2def"}]'],
		['an object indented by eight spaces', '        {"orders":[]}'],
		['null', 'null'],
	])('a 200 with %s passes', async (_, body) => {
		raw.answer({ status: 200, headers: { 'content-type': 'application/json' }, body });
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual(OK);
		expect(raw.requests).toHaveLength(1);
	});

	test('a wrong key: an error that says the API key is invalid (n8n sends the GET twice)', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			apiKey: 'sk_live_revoked_key',
		});

		expect(result).toEqual({
			status: 'Error',
			message:
				'Invalid API key: StatProxies refused it (HTTP 401, invalid_api_key). Check that the key is complete and not revoked or expired.',
		});
		// n8n re-sends a request that got a 401 once, after its credentials helper's
		// preAuthentication (for keys that can be refreshed; this one cannot): the same GET.
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual(
			Array(2).fill('GET /api/v2/order/list Bearer sk_live_revoked_key'),
		);
		expect(sandbox.orderRequests).toEqual([]);
	});

	test('a key without the order service: an error that names the "order" service', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			apiKey: sandbox.keys.noOrder,
		});

		expect(result).toEqual({
			status: 'Error',
			message:
				'This key lacks the "order" service (HTTP 403, insufficient_permissions), or a gateway before StatProxies refused the request. Enable the service for the key in the StatProxies dashboard.',
		});
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.orderRequests).toEqual([]);
	});

	test('http://example.com: an error, and the test request goes to a name that cannot resolve, not to example.com', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			baseUrl: 'http://example.com',
		});

		expect(result).toEqual({ status: 'Error', message: 'ENOTFOUND' });
		expect(testRequestBase('http://example.com')).toBe('https://base-url-must-use-https.invalid');
		expect(sandbox.requests).toEqual([]);
	});

	test('http://0.0.0.0:<sandbox port> would reach the sandbox, but is not allowed: an error, and the sandbox receives nothing', async () => {
		const result = await testCredential({
			...sandboxCredential(sandbox),
			baseUrl: `http://0.0.0.0:${sandbox.port}`,
		});

		expect(result.status).toBe('Error');
		expect(sandbox.requests).toEqual([]);
	});

	test.each([
		['a web page (200)', '200-html'],
		['a web page after blank lines (200)', '200-html-indented'],
		['an empty 200', '200-empty'],
	])(
		'a good key whose Base URL answers %s: an error that asks to check the Base URL',
		async (_, fault) => {
			sandbox.setListFault(fault);
			const result = await testCredential(sandboxCredential(sandbox));

			expect(result).toEqual({ status: 'Error', message: NOT_THE_API });
		},
	);

	test.each([
		['<html></html>'],
		['<!DOCTYPE html>'],
		[' <html>'],
		['\n<html>'],
		['\r\n\r\n<!DOCTYPE html>'],
		['\t\t\t\t\t\t\t<html>'],
		['       <html>'],
	])('a 200 with the page %j: an error that asks to check the Base URL', async (body) => {
		raw.answer({ status: 200, headers: { 'content-type': 'text/html' }, body });
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({ status: 'Error', message: NOT_THE_API });
	});

	test('a 204 (no body): an error that asks to check the Base URL', async () => {
		raw.answer({ status: 204, headers: {}, body: '' });
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({ status: 'Error', message: NOT_THE_API });
	});

	// The limits of reading a 2xx answer as text (README, "What we assume about the API").
	test.each([
		['a page after eight blank characters', 'text/html', '        <html>'],
		['a JSON error (a string)', 'application/json', '{"error":"invalid_api_key"}'],
		['a JSON error (true)', 'application/json', '{"error": true}'],
		['a JSON error (a number)', 'application/json', '{"error": 401}'],
		['a JSON error (a list)', 'application/json', '{"error": ["invalid_api_key"]}'],
	])('a limit: a 200 with %s passes', async (_, type, body) => {
		raw.answer({ status: 200, headers: { 'content-type': type }, body });
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual(OK);
	});

	test.each([
		['401', /^Invalid API key: StatProxies refused it \(HTTP 401, invalid_api_key\)/],
		['403', /^This key lacks the "order" service \(HTTP 403, insufficient_permissions\)/],
		['404', /^The Base URL has no \/api\/v2\/order\/list \(HTTP 404\).*Check the Base URL\.$/],
		['429', /^StatProxies is limiting requests \(HTTP 429\)/],
		['500', /^StatProxies, or a gateway before it, failed to answer \(HTTP 500\)/],
		['502-html', /^StatProxies, or a gateway before it, failed to answer \(HTTP 502\)/],
		['503', /^StatProxies, or a gateway before it, failed to answer \(HTTP 503\)/],
	])(
		'the list answers fault %s to every key: an error with its own message',
		async (fault, says) => {
			sandbox.setListFault(fault);
			const result = await testCredential(sandboxCredential(sandbox));

			expect(result).toEqual({ status: 'Error', message: expect.stringMatching(says) });
			expect(sandbox.orderRequests).toEqual([]);
		},
	);

	// A status that is not 2xx makes the request throw: the test fails whatever the body says
	// (an `error`, none, or no JSON at all); n8n shows the rule's message or the status text.
	test.each([
		[401, '{"error":"api_key_expired"}', /^Invalid API key/],
		[
			403,
			'{"error":{"code":1020,"message":"Access denied"}}',
			/^This key lacks the "order" service/,
		],
		[404, '', /^The Base URL has no \/api\/v2\/order\/list/],
		[500, '{"message":"Internal Server Error"}', /failed to answer \(HTTP 500\)/],
		[504, '<html>Gateway Timeout</html>', /failed to answer \(HTTP 504\)/],
		[400, '{"response":"Missing required fields"}', /^Bad Request$/],
		[405, '', /^Method Not Allowed$/],
		[410, '{}', /^Gone$/],
		[501, '[]', /^Not Implemented$/],
	])('a %i answer fails whatever its body (%j)', async (status, body, says) => {
		raw.answer({ status, headers: { 'content-type': 'application/json' }, body });
		const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(says) });
	});

	test.each([301, 302, 303, 307, 308])(
		'a %i redirect is not followed: the key never reaches the address it points to, and the message says so',
		async (status) => {
			raw.answer({
				status,
				headers: { location: `${sandbox.url}/api/v2/order/list` },
				body: '',
			});
			const result = await testCredential({ ...sandboxCredential(sandbox), baseUrl: raw.url });

			expect(result).toEqual({
				status: 'Error',
				message: `The Base URL answered with a redirect (HTTP ${status}), which the test does not follow so that the key goes nowhere else. Enter the address StatProxies is served from.`,
			});
			expect(raw.requests).toHaveLength(1);
			expect(sandbox.requests).toEqual([]);
		},
	);

	test('the test request goes to the base URL itself when it is allowed (trailing slash dropped)', () => {
		expect(testRequestBase('https://dashboard.statproxies.com/')).toBe(
			'https://dashboard.statproxies.com',
		);
		expect(testRequestBase(` ${sandbox.url} `)).toBe(sandbox.url);
	});
});

describe('The credential attaches the key only where it may travel: https, or http to loopback', () => {
	test.each([
		'https://dashboard.statproxies.com',
		'https://gateway.example.org:8443/statproxies',
		'http://127.0.0.1:5678',
		'http://localhost',
		'http://[::1]:8080',
	])('%s: Authorization: Bearer <key>', async (baseUrl) => {
		const headers = await authenticatedHeaders('sk_live_attached', baseUrl);
		expect(headers.Authorization).toBe('Bearer sk_live_attached');
	});

	test.each([
		'http://example.com',
		'http://dashboard.statproxies.com',
		'http://localhost.evil.com',
		'http://127.0.0.1@evil.com',
		'http://0.0.0.0:5678',
		'https://user:pw@dashboard.statproxies.com',
		'ftp://dashboard.statproxies.com',
		'',
	])('%j: no key in the Authorization header', async (baseUrl) => {
		const headers = await authenticatedHeaders('sk_live_withheld', baseUrl);
		expect(JSON.stringify(headers)).not.toContain('sk_live_withheld');
		expect(headers.Authorization).toBe('');
	});
});
