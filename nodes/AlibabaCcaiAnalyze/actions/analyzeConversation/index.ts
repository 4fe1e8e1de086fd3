export * as analyzeConversation from './analyzeConversation.operation';
