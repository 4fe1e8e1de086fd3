import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Event names from the agent-callback page (reference 1.5). `intent_recognized` is listed there
 * beside `intent_detected`, so both are offered; an event missing here still passes when no
 * filter is set.
 */
export const CALLBACK_EVENTS: INodePropertyOptions[] = [
	{ name: 'Agent Start', value: 'agent_start', description: 'The agent instance started' },
	{ name: 'Agent Stop', value: 'agent_stop', description: 'The agent instance ended; its call log can be archived now' },
	{ name: 'Audio Record', value: 'audio_record', description: 'One sentence of audio with its text, for the user or the agent' },
	{ name: 'Chat Record', value: 'chat_record', description: 'Real-time chat record (dialogue rounds)' },
	{ name: 'Client Defined Data', value: 'client_defined_data', description: 'A custom message sent by the client' },
	{ name: 'Error', value: 'error', description: 'The agent reported an error' },
	{ name: 'Full Audio Record', value: 'full_audio_record', description: 'The whole call mixed into one audio file' },
	{ name: 'Inbound Call', value: 'inbound_call', description: 'A phone call came in' },
	{ name: 'Instruction', value: 'instruction', description: 'An action instruction' },
	{ name: 'Intent Detected', value: 'intent_detected', description: 'The workflow detected an intent' },
	{ name: 'Intent Recognized', value: 'intent_recognized', description: 'The workflow recognized an intent' },
	{ name: 'LLM Data Received', value: 'llm_data_received', description: 'The first streamed packet from the LLM arrived' },
	{ name: 'Outbound Call', value: 'outbound_call', description: 'A phone call went out' },
	{ name: 'Session Start', value: 'session_start', description: 'A session started' },
	{ name: 'TTS Data Received', value: 'tts_data_received', description: 'The first streamed packet of synthesized speech arrived' },
];
