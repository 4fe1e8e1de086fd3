import type { IDataObject } from 'n8n-workflow';

export const BIG_LOG_TYPE = 'alibabaIceArchive';

/** getCallLog of one instance; the emulator serves `big-<N>` as an N-sentence log. */
export const BIG_LOG_PARAMETERS = (instanceId: string): IDataObject => ({
	operation: 'getCallLog',
	instanceId,
	options: { maxDownloadSizeMb: 500 },
});
