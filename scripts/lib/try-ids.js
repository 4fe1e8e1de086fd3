'use strict';

/**
 * The ids a newcomer can paste into the nodes, per service, from the emulator's own fixtures
 * (GET /__emulator/fixtures, i.e. test/emulator/fixture-ids.ts). Each row says which node and
 * which field it goes into, so the printout reads as instructions, not as a data dump.
 */
function tryIdRows(fixtures) {
	const { ice, chatbot, ccai, dianjin } = fixtures;
	return [
		{
			service: 'ICE',
			label: 'finished call',
			value: ice.seedInstanceId,
			where: 'ICE Archive → Get Call Log / Get Instance → Instance ID',
		},
		{
			service: 'ICE',
			label: 'running call',
			value: ice.executingInstanceId,
			where: 'ICE Archive → Get Instance → Instance ID (no call log yet)',
		},
		{
			service: 'ICE',
			label: `agent with ${ice.benchInstanceCount} calls`,
			value: ice.benchAgentId,
			where: 'ICE Archive → List Instances → AI Agent ID',
		},
		{
			service: 'ICE',
			label: `agent with ${ice.defaultInstancesPerAgent} calls`,
			value: ice.agentId,
			where: 'ICE Archive → List Instances → AI Agent ID',
		},
		{
			service: 'ICE',
			label: 'session',
			value: ice.sessionId,
			where: 'ICE Archive → List Dialogues → Session ID',
		},
		{
			service: 'Chatbot',
			label: 'instance',
			value: chatbot.instanceId,
			where: `Chatbot Chat → Send Message → Instance ID (try "${chatbot.seedUtterance}")`,
		},
		{
			service: 'CCAI',
			label: 'workspace',
			value: ccai.workspaceId,
			where: 'CCAI Analyze → Workspace ID',
		},
		{
			service: 'CCAI',
			label: 'app',
			value: ccai.appId,
			where: 'CCAI Analyze → App ID',
		},
		{
			service: 'DianJin',
			label: 'workspace',
			value: dianjin.workspaceId,
			where: 'Dialog Detail → Workspace ID',
		},
		{
			service: 'DianJin',
			label: 'finished session',
			value: dianjin.completedSessionId,
			where: 'Dialog Detail → Get Dialog Detail → Session ID',
		},
	];
}

/** The printout's lines, aligned. */
function formatTryIds(rows, indent = '    ') {
	const head = (row) => `${row.service} ${row.label}`;
	const headWidth = Math.max(...rows.map((row) => head(row).length));
	const valueWidth = Math.max(...rows.map((row) => row.value.length));
	return rows.map((row) => `${indent}${head(row).padEnd(headWidth)}  ${row.value.padEnd(valueWidth)}  ${row.where}`);
}

module.exports = { tryIdRows, formatTryIds };
