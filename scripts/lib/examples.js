'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { EXAMPLES_DIR } = require('./paths');

/** The emulator's fixed keys (test/emulator/keys.ts); none of them is a real Alibaba key. */
const EMULATOR_ACCESS_KEY = {
	accessKeyId: 'LTAI5tEmulatorTestKey01',
	accessKeySecret: 'EmulatorTestSecret0123456789abcd',
};

/** The callback token the demo and the end-to-end test give the ICE agent callback credential. */
const DEMO_CALLBACK_TOKEN = 'demo-callback-token-0123456789';

/**
 * n8n workflow ids are at most 21 characters. Examples carry no id (a user importing one gets a
 * fresh id anyway); a stable one derived from the file name lets a re-import update the same workflow.
 */
function exampleId(file) {
	return `ex${crypto.createHash('sha1').update(path.basename(file)).digest('hex').slice(0, 14)}`;
}

function loadExamples(dir = EXAMPLES_DIR) {
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => {
			const file = path.join(dir, name);
			const text = fs.readFileSync(file, 'utf8');
			const workflow = JSON.parse(text);
			return {
				file,
				name,
				id: workflow.id || exampleId(file),
				hash: crypto.createHash('sha1').update(text).digest('hex'),
				workflow,
			};
		});
}

/** Each credential the examples reference, once: {type, id, name}. */
function referencedCredentials(examples) {
	const found = new Map();
	for (const { workflow } of examples) {
		for (const node of workflow.nodes ?? []) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				if (ref?.id && !found.has(ref.id)) found.set(ref.id, { type, id: ref.id, name: ref.name ?? type });
			}
		}
	}
	return [...found.values()];
}

function emulatorAccessKeyData(emulatorUrl, overrides = {}) {
	return {
		...EMULATOR_ACCESS_KEY,
		securityToken: '',
		region: 'cn-shanghai',
		customEndpoints: true,
		iceEndpoint: emulatorUrl,
		chatbotEndpoint: emulatorUrl,
		chatbotStreamEndpoint: emulatorUrl,
		ccaiEndpoint: emulatorUrl,
		dianjinEndpoint: emulatorUrl,
		stsEndpoint: emulatorUrl,
		...overrides,
	};
}

/** The RAM role credential for the emulator: its RAM user key assumes the emulator's role (test/emulator/services/ram-roles.ts). */
function emulatorRamRoleData(emulatorUrl, overrides = {}) {
	return {
		...emulatorAccessKeyData(emulatorUrl),
		credentialSource: 'assumeRole',
		roleArn: 'acs:ram::1234567890123456:role/emulatorrole',
		roleSessionName: 'n8n',
		durationSeconds: 3600,
		externalId: '',
		policy: '',
		stsEndpointType: 'public',
		ecsRoleName: '',
		metadataBaseUrl: emulatorUrl,
		temporaryCredentials: '',
		...overrides,
	};
}

/** Plain-data credentials for `n8n import:credentials`, pointing every service at the emulator. */
function emulatorCredentials(examples, emulatorUrl, { callbackToken = DEMO_CALLBACK_TOKEN } = {}) {
	return referencedCredentials(examples).map(({ type, id, name }) => {
		switch (type) {
			case 'alibabaCloudAccessKeyApi':
				return { id, name, type, data: emulatorAccessKeyData(emulatorUrl) };
			case 'alibabaCloudRamRoleApi':
				return { id, name, type, data: emulatorRamRoleData(emulatorUrl) };
			case 'alibabaIceAgentCallbackApi':
				return { id, name, type, data: { token: callbackToken } };
			default:
				throw new Error(`an example uses a credential of type ${type}, which the demo cannot fill in`);
		}
	});
}

/** A copy of the example with the stable id the demo and the end-to-end test import it under. */
function localizeWorkflow(workflow, { id }) {
	const copy = JSON.parse(JSON.stringify(workflow));
	copy.id = id;
	return copy;
}

module.exports = {
	EMULATOR_ACCESS_KEY,
	DEMO_CALLBACK_TOKEN,
	loadExamples,
	referencedCredentials,
	emulatorAccessKeyData,
	emulatorRamRoleData,
	emulatorCredentials,
	localizeWorkflow,
	exampleId,
};
