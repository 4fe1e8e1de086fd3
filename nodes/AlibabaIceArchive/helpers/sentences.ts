import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Conversation } from '../../shared/conversation';

/**
 * "Split Into Items": one item per sentence, in spoken order, each carrying what identifies
 * its call so the items still make sense on their own downstream.
 */
export function sentenceItems(
	conversation: Conversation,
	context: IDataObject,
	itemIndex: number,
): INodeExecutionData[] {
	return conversation.sentences.map((sentence, index) => ({
		json: {
			...context,
			...(conversation.sessionId !== undefined ? { sessionId: conversation.sessionId } : {}),
			...(conversation.startedAt !== undefined ? { startedAt: conversation.startedAt } : {}),
			index,
			...sentence,
		},
		pairedItem: { item: itemIndex },
	}));
}
