'use strict';
// The node logs every order and unknown outcome for a person (nodes/shared/journal.ts): in
// these suites those are the orders the tests place. The logger's level is read when n8n-core
// first builds it, so it is set before; the Stop tests spy on the calls themselves.
process.env.N8N_LOG_LEVEL ??= 'error';

// n8n's engine hands every error a node throws to its ErrorReporter, which logs it. In these
// suites those errors are the outcomes the tests provoke and assert on (refused input, a
// failing sandbox...): echoed, they were 353 lines of noise around the results. An error of
// the workflow run (n8n-workflow's ExecutionBaseError: NodeOperationError, NodeApiError,
// ExpressionError) stays in the run data the tests read; anything else (a bug in n8n-core,
// in this harness, in the node outside its own errors) is still reported as n8n reports it.
// Plain JS: a jest setup file, run before each test file in that file's module registry.
// n8n-core's own copy of the DI container, the one its engine asks for the reporter.
const { Container } = require(require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }));
const { ErrorReporter } = require('n8n-core');
const { ExecutionBaseError } = require('n8n-workflow');

const reporter = Container.get(ErrorReporter);
const report = reporter.error.bind(reporter);
reporter.error = (error, options) => {
	if (error instanceof ExecutionBaseError) return;
	report(error, options);
};
