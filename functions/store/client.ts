import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from './table-definition.ts';

/**
 * The one module that owns the DynamoDB client. In AWS the SDK finds region and credentials itself; locally
 * AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local. Every request is counted by command name, so the benchmark
 * can show how many round trips each operation costs.
 */

let documentClient: DynamoDBDocumentClient | undefined;
const requestCounts = new Map<string, number>();

export function tableName(): string {
  return process.env.TABLE_NAME || TABLE_DEFINITION.defaultTableName;
}

export function dynamoDbClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const client = new DynamoDBClient({ maxAttempts: 3 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      requestCounts.set(name, (requestCounts.get(name) ?? 0) + 1);
      return next(args);
    },
    // The deserialize step runs once per HTTP attempt, retries included.
    { step: 'deserialize', name: 'countRequests' },
  );
  documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/** Forgets the client, so the next call reads the environment again (the local stack after a restart). */
export function resetDynamoDbClient(): void {
  documentClient?.destroy();
  documentClient = undefined;
}

export function dynamoDbRequestCounts(): Record<string, number> {
  return Object.fromEntries(requestCounts);
}

export function resetDynamoDbRequestCounts(): void {
  requestCounts.clear();
}
