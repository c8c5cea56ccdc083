'use strict';
// Kept for case files written against this path: see lab/instance.js and lab/fixtures.js.
const { SANDBOX_CREDENTIAL, MATTERMOST_CREDENTIAL } = require('../../lab/fixtures');

module.exports = { ...require('../../lab/instance'), SANDBOX_CREDENTIAL, MATTERMOST_CREDENTIAL };
