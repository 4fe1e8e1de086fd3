'use strict';

const { PACKAGE_NAME } = require('../../../scripts/lib/paths');

/** The example the RAM role checks run: the DianJin → CCAI example, unchanged but for the credential. */
const RAM_ROLE_SOURCE_EXAMPLE = 'dianjin-dialog-ccai-fields.json';
const RAM_ROLE_WORKFLOW = 'ram-role-dianjin-dialog-ccai-fields.json';
const RAM_ROLE_CREDENTIAL = { id: 'emulator-ram-role', name: 'Alibaba Cloud RAM role (emulator)' };

/**
 * The example as a user would switch it to the RAM role: every package node's Authentication set
 * to "RAM Role" and the RAM role credential picked instead of the AccessKey one.
 */
function ramRoleVariant(example) {
	const workflow = JSON.parse(JSON.stringify(example.workflow));
	workflow.name = `${workflow.name} (RAM role)`;
	for (const node of workflow.nodes) {
		if (!node.type.startsWith(`${PACKAGE_NAME}.`) || !node.credentials?.alibabaCloudAccessKeyApi) continue;
		node.parameters = { authentication: 'ramRole', ...node.parameters };
		delete node.credentials.alibabaCloudAccessKeyApi;
		node.credentials.alibabaCloudRamRoleApi = { ...RAM_ROLE_CREDENTIAL };
	}
	return { ...example, name: RAM_ROLE_WORKFLOW, id: 'e2eRamRoleDianjin01', workflow };
}

/** Helper workflows for run-e2e.js to import next to the examples. */
function ramRoleWorkflows(examples) {
	const source = examples.find((e) => e.name === RAM_ROLE_SOURCE_EXAMPLE);
	return source ? [ramRoleVariant(source)] : [];
}

module.exports = { ramRoleWorkflows, RAM_ROLE_WORKFLOW, RAM_ROLE_CREDENTIAL };
