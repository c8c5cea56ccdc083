import { ExpressionError, NodeApiError } from 'n8n-workflow';

import { orderAction } from '../nodes/OrderProxies/order';
import { outcomesFor } from '../nodes/shared/outcomes';
import { classifyError as classifyWith } from '../nodes/shared/transport';
import { orderNode } from './harness/n8n';

const orderOutcomes = outcomesFor(orderAction.words);
const classifyError = (error: unknown) => classifyWith(orderOutcomes.said, error);

/**
 * n8n's HTTP helpers wrap a socket failure in a NodeApiError whose cause is the HTTP client's
 * error. n8n 2.x keeps that cause; n8n 1.x (n8n-workflow 1.120) declares `cause` as a class
 * field, which wipes it, and only `httpCode` still carries the code. Both shapes, built the
 * way n8n builds them, must be read alike.
 */
const node = orderNode({});

function socketFailure(code: string, syscall?: string) {
	return Object.assign(new Error(`socket ${code}`), {
		code,
		...(syscall ? { syscall } : {}),
		isAxiosError: true,
		config: {},
		request: {},
	});
}

const SHAPES = {
	'cause kept (n8n 2.x)': (error: Error) => new NodeApiError(node, error as never),
	'cause wiped (n8n 1.x)': (error: Error) => {
		const wrapped = new NodeApiError(node, error as never);
		(wrapped as { cause?: unknown }).cause = undefined;
		return wrapped;
	},
};

describe.each(Object.entries(SHAPES))(
	'A network failure, %s, is classified by its code',
	(_shape, wrap) => {
		test.each(['ECONNREFUSED', 'ENOTFOUND', 'CERT_HAS_EXPIRED'])(
			'%s: not sent, nothing bought',
			(code) => {
				expect(classifyError(wrap(socketFailure(code)))).toMatchObject({
					kind: 'not_sent',
					message: `Could not reach StatProxies (${code})`,
				});
			},
		);

		test.each(['EHOSTUNREACH', 'ENETUNREACH'])(
			'%s after the connection was made (a route lost mid-request): unknown, the order may have left',
			(code) => {
				for (const syscall of ['write', 'read', undefined]) {
					expect(classifyError(wrap(socketFailure(code, syscall)))).toMatchObject({
						kind: 'unknown',
						message: expect.stringContaining(`(${code}): the order may have been placed`),
					});
				}
			},
		);

		test.each(['ECONNABORTED', 'ETIMEDOUT'])('%s: no answer in time, unknown', (code) => {
			expect(classifyError(wrap(socketFailure(code)))).toMatchObject({
				kind: 'unknown',
				message: expect.stringMatching(/^StatProxies did not answer within the timeout/),
			});
		});

		test('ECONNRESET: the connection was lost after sending, unknown', () => {
			expect(classifyError(wrap(socketFailure('ECONNRESET')))).toMatchObject({
				kind: 'unknown',
				message: expect.stringContaining('(ECONNRESET): the order may have been placed'),
			});
		});
	},
);

describe('A host or network unreachable at the connect step', () => {
	test.each(['EHOSTUNREACH', 'ENETUNREACH'])(
		'%s while connecting (n8n 2.x keeps the syscall): not sent, nothing bought',
		(code) => {
			const error = new NodeApiError(node, socketFailure(code, 'connect') as never);
			expect(classifyError(error)).toMatchObject({
				kind: 'not_sent',
				message: `Could not reach StatProxies (${code})`,
			});
		},
	);
});

describe('A failure with no code', () => {
	test('an n8n expression error raised before any request existed: not sent', () => {
		const failure = classifyError(
			new NodeApiError(node, new ExpressionError('invalid syntax') as never),
		);
		expect(failure).toMatchObject({ kind: 'not_sent' });
		expect(failure.message).not.toContain('may have been placed');
	});

	test('anything else: unknown, because the request may have left', () => {
		expect(classifyError(new Error('socket hang up'))).toMatchObject({ kind: 'unknown' });
	});
});
