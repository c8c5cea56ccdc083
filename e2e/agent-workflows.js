'use strict';
// Builders for the AI agent cases (issue 11): Manual Trigger -> AI Agent, with n8n's OpenAI
// Chat Model node wired to the suite's scripted model and the Order Proxies tool, whose three
// fields are filled by the model through $fromAI(). Fixed ids, for `n8n execute --id`.
const { SANDBOX_CREDENTIAL } = require('../lab/fixtures');
const { startScriptedModel } = require('./lib/scripted-model');

const TOOL_NODE = 'Order Proxies';
const TOOL = 'Order_Proxies'; // n8n's tool name for the node name
const MODEL_KEY = 'sk-scripted-model-not-a-secret';

/** $fromAI() for the three fields: the only schema the model gets for them. */
const FROM_AI = {
	quantity: "={{ $fromAI('quantity', 'How many proxies to order, a whole number', 'number') }}",
	productType: "={{ $fromAI('productType', 'Product type: captcha, x1 or level3', 'string') }}",
	customer: "={{ $fromAI('customer', 'Customer name: lowercase letters a-z only', 'string') }}",
};

/** The one scripted model of the suite, started before the credentials are imported. */
function agentModel(ctx) {
	ctx.agentModelReady ??= startScriptedModel().then((model) => {
		ctx.agentModel = model;
		ctx.agentModelCredential = ctx.credential({
			id: 'spOpenAiCred',
			name: 'OpenAI account', // the name examples/agent-orders.json refers to
			type: 'openAiApi',
			data: { apiKey: MODEL_KEY, url: `${model.url}/v1`, header: false },
		});
		return model;
	});
	return ctx.agentModelReady;
}

function node(name, type, typeVersion, position, parameters, extra = {}) {
	return { id: name.replace(/\W+/g, '-'), name, type, typeVersion, position, parameters, ...extra };
}

/**
 * The OpenAI Chat Model node, wired to the scripted model. `options` are the node's own
 * (`maxRetries: 0` stops the OpenAI SDK from retrying a failed answer by itself).
 */
function chatModelNode(credential, options = {}) {
	return node(
		'OpenAI Chat Model',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		1.3,
		[200, 220],
		{
			model: { __rl: true, mode: 'list', value: 'gpt-4.1-mini' },
			responsesApiEnabled: false,
			options,
		},
		{ credentials: { openAiApi: { id: credential.id, name: credential.name } } },
	);
}

/** The Order Proxies tool node; `options` and `parameters` override the defaults. */
function toolNode({ options = {}, parameters = {}, settings = {} } = {}) {
	return node(
		TOOL_NODE,
		'n8n-nodes-statproxies.orderProxiesTool',
		1,
		[420, 220],
		{
			quantity: FROM_AI.quantity,
			productType: FROM_AI.productType,
			additionalFields: { customer: FROM_AI.customer },
			options,
			...parameters,
		},
		{
			credentials: {
				statProxiesApi: { id: SANDBOX_CREDENTIAL.id, name: SANDBOX_CREDENTIAL.name },
			},
			...settings,
		},
	);
}

const aiLink = (to, type) => ({ [type]: [[{ node: to, type, index: 0 }]] });

/**
 * Manual Trigger -> AI Agent, with the chat model and the Order Proxies tool.
 * @param {object} [tool] the Order Proxies tool's options, parameters and settings
 * @param {object} [more]
 * @param {object} [more.agent] the AI Agent's node settings (retryOnFail, maxTries, onError...)
 * @param {object} [more.model] the OpenAI Chat Model's options
 * @param {object} [more.toolNode] another tool node instead of Order Proxies
 */
function agentWorkflow(
	id,
	credential,
	tool = {},
	{ agent = {}, model = {}, toolNode: other } = {},
) {
	if (id.length > 21) throw new Error(`Workflow id "${id}" is longer than 21 characters`);
	const theTool = other ?? toolNode(tool);
	return {
		id,
		name: `e2e ${id}`,
		active: false,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node(
				'AI Agent',
				'@n8n/n8n-nodes-langchain.agent',
				3.1,
				[220, 0],
				{
					promptType: 'define',
					text: 'Order the proxies the customer asked for.',
					options: { maxIterations: 30 },
				},
				agent,
			),
			chatModelNode(credential, model),
			theTool,
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': aiLink('AI Agent', 'ai_languageModel'),
			[theTool.name]: aiLink('AI Agent', 'ai_tool'),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * n8n's "Call n8n Workflow Tool" (toolWorkflow 2.2) calling the saved workflow `workflowId`.
 * Without workflow inputs the model gets one text argument, `input`. n8n runs the tool's
 * workflow in an execution of its own, its published version only (the tool passes no
 * execution mode, so not even a manual run uses the draft).
 */
function workflowToolNode(name, workflowId, description) {
	return node(name, '@n8n/n8n-nodes-langchain.toolWorkflow', 2.2, [420, 220], {
		description,
		source: 'database',
		workflowId: { __rl: true, mode: 'id', value: workflowId },
		workflowInputs: {
			mappingMode: 'defineBelow',
			value: {},
			matchingColumns: [],
			schema: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
	});
}

const call = (args) => ({ name: TOOL, args });
/** A scripted tool call ordering `quantity` proxies. */
const order = (quantity, customer = 'acme', productType = 'x1') =>
	call({ quantity, productType, customer });

module.exports = {
	TOOL,
	TOOL_NODE,
	MODEL_KEY,
	FROM_AI,
	agentModel,
	agentWorkflow,
	workflowToolNode,
	order,
};
