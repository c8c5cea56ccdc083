'use strict';
// For programmatic use; n8n itself finds the nodes and the credential through package.json "n8n".
const { OrderProxies } = require('./dist/nodes/OrderProxies/OrderProxies.node');
const { ExchangeProxies } = require('./dist/nodes/ExchangeProxies/ExchangeProxies.node');
const { StatProxiesApi } = require('./dist/credentials/StatProxiesApi.credentials');

module.exports = { OrderProxies, ExchangeProxies, StatProxiesApi };
