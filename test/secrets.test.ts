import type { INodeParameters } from 'n8n-workflow';

import {
	CONTINUE,
	expectNoSecret,
	occurrences,
	sandboxCredential,
	serializedForms,
} from './harness/helpers';
import { testCredential } from './harness/credentialTest';
import { executeNode, runWorkflow, type StatProxiesCredential } from './harness/n8n';
import * as rawServer from './harness/rawServer';
import { startSandbox, useSandbox } from './harness/sandbox';

const sandbox = useSandbox();

const ORDER: INodeParameters = { quantity: 1, productType: 'captcha' };

interface LeakCase {
	name: string;
	/** The credential and sandbox state that make this outcome happen. */
	arrange: () => Promise<StatProxiesCredential>;
	parameters?: INodeParameters;
}

async function closedPortUrl(): Promise<string> {
	const gone = await startSandbox();
	await gone.close();
	return gone.url;
}

const CASES: LeakCase[] = [
	{
		name: 'placed',
		arrange: async () => sandboxCredential(sandbox),
	},
	{
		name: 'refused: invalid_api_key (401)',
		arrange: async () => {
			sandbox.setFault('401');
			return sandboxCredential(sandbox);
		},
	},
	{
		name: 'refused: insufficient_permissions (403)',
		arrange: async () => {
			sandbox.setFault('403');
			return sandboxCredential(sandbox);
		},
	},
	{
		name: 'unknown: connection reset after the order was placed',
		arrange: async () => {
			sandbox.setFault('reset-after-body');
			return sandboxCredential(sandbox);
		},
	},
	{
		name: 'unknown: HTTP 500',
		arrange: async () => {
			sandbox.setFault('500');
			return sandboxCredential(sandbox);
		},
	},
	{
		name: 'not sent: connection refused',
		arrange: async () => ({ ...sandboxCredential(sandbox), baseUrl: await closedPortUrl() }),
	},
	{
		name: 'invalid: quantity 0',
		arrange: async () => sandboxCredential(sandbox),
		parameters: { quantity: 0, productType: 'captcha' },
	},
	{
		name: 'invalid: the key pasted into the base URL as a user name',
		arrange: async () => ({
			...sandboxCredential(sandbox),
			baseUrl: `https://${sandbox.keys.full}@dashboard.statproxies.com`,
		}),
	},
	{
		name: 'invalid: the key pasted into the base URL as a query',
		arrange: async () => ({
			...sandboxCredential(sandbox),
			baseUrl: `${sandbox.url}/?key=${sandbox.keys.full}`,
		}),
	},
	{
		name: 'invalid: the key pasted into the base URL over plain http',
		arrange: async () => ({
			...sandboxCredential(sandbox),
			baseUrl: `http://example.com/${sandbox.keys.full}`,
		}),
	},
];

describe('The API key never appears in executions, errors or outputs', () => {
	test('the key these tests look for is the one StatProxies receives', async () => {
		await runWorkflow({ credential: sandboxCredential(sandbox), parameters: ORDER });

		const received = JSON.stringify(sandbox.orderRequests);
		expect(occurrences(received, `Bearer ${sandbox.keys.full}`)).toBe(1);
	});

	test.each(CASES)('$name: not in the stored execution', async ({ arrange, parameters }) => {
		const credential = await arrange();
		const result = await runWorkflow({ credential, parameters: parameters ?? ORDER });

		expectNoSecret(result, sandbox.keys.full);
	});

	test.each(CASES)(
		'$name: not in the error item of a continue-on-fail run',
		async ({ arrange, parameters }) => {
			const credential = await arrange();
			const result = await runWorkflow({
				credential,
				parameters: parameters ?? ORDER,
				settings: CONTINUE,
			});

			expect(result.output).toHaveLength(1);
			expectNoSecret(result, sandbox.keys.full);
		},
	);

	test.each(CASES.filter((leak) => leak.name !== 'placed'))(
		'$name: not in the error object the node throws, however it is serialised',
		async ({ arrange, parameters }) => {
			const credential = await arrange();
			const thrown: unknown = await executeNode({
				credential,
				parameters: parameters ?? ORDER,
			}).then(
				() => undefined,
				(error: unknown) => error,
			);

			expect(thrown).toBeInstanceOf(Error);
			const forms = serializedForms(thrown);
			expect(forms.length).toBeGreaterThanOrEqual(4);
			expect(occurrences(forms.join('\n'), sandbox.keys.full)).toBe(0);
		},
	);

	test('the credential test never reports the key back', async () => {
		const results = await Promise.all([
			testCredential(sandboxCredential(sandbox)),
			testCredential({ ...sandboxCredential(sandbox), baseUrl: 'http://example.com' }),
			testCredential({ ...sandboxCredential(sandbox), baseUrl: await closedPortUrl() }),
		]);

		expect(results.map((result) => result.status)).toEqual(['OK', 'Error', 'Error']);
		expect(occurrences(JSON.stringify(results), sandbox.keys.full)).toBe(0);
	});
});

describe('A key that StatProxies echoes back is hidden before anything is cut short', () => {
	test('echoed where the 200-character excerpt of the answer would cut it: not a piece of it in the message', async () => {
		const raw = (await rawServer.startRawServer()) as {
			url: string;
			answer(answer: { status: number; headers: Record<string, string>; body: string }): void;
			close(): Promise<void>;
		};
		try {
			const key = ['sk', 'live', '0123456789abcdefghij'].join('_');
			raw.answer({
				status: 200,
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ response: 'x'.repeat(150), auth: `Bearer ${key}` }),
			});
			const result = await runWorkflow({
				credential: { apiKey: key, baseUrl: raw.url },
				parameters: ORDER,
			});
			expect(result.error?.message).toContain('may have been placed');
			expect(result.error?.message).not.toContain(key.slice(0, 10));
		} finally {
			await raw.close();
		}
	});
});
