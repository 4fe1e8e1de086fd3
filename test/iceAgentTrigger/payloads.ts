/**
 * Callback bodies in the documented envelope {aiAgentId, instanceId, event, data}. The chat
 * record follows the documentation's fragment and ListAIAgentDialogues (camelCase); the audio
 * record's field names are not published, so it uses names the node looks for.
 */
export const AGENT_ID = 'emu-agent-default';
export const INSTANCE_ID = 'b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2';
export const TOKEN = 'cb-token-7Hq2-xZ9';

export function agentStop(extra: Record<string, unknown> = {}) {
	return { aiAgentId: AGENT_ID, instanceId: INSTANCE_ID, event: 'agent_stop', data: { reason: 'user_hangup' }, ...extra };
}

/** Newest first, as the dialogue list API sends by default. */
export function chatRecord() {
	return {
		aiAgentId: AGENT_ID,
		instanceId: INSTANCE_ID,
		event: 'chat_record',
		data: {
			requestId: 'abcd',
			code: 'Success',
			message: 'Success',
			dialogues: [
				{ roundId: 'r2', producer: 'agent', text: '从前，有一只小狐狸。', reasoningText: '', time: 1755138126000, source: 'chat', dialogueId: 'd4', type: 'normal' },
				{ roundId: 'r2', producer: 'user', text: '讲个有趣的儿童故事。', reasoningText: '', time: 1755138077000, source: 'chat', dialogueId: 'd3', type: 'normal' },
				{ roundId: 'r1', producer: 'agent', text: '哈喽，我是小云。', reasoningText: '', time: 1755138076000, source: 'chat', dialogueId: 'd2', type: 'greeting' },
			],
			extenddData: { channel: 'app' },
		},
	};
}

export function audioRecord(role: 'user' | 'agent') {
	return {
		aiAgentId: AGENT_ID,
		instanceId: INSTANCE_ID,
		event: 'audio_record',
		data: {
			role,
			text: role === 'user' ? '换个故事。' : '在很久很久以前……',
			audioUrl: `https://example-bucket.oss-cn-shanghai.aliyuncs.com/agent/${INSTANCE_ID}/${role}-0001.wav`,
			sentenceId: 7,
			format: 'wav',
		},
	};
}
