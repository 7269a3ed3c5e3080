import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countDynamoDbRequest, hasDynamoDbRequestObservers, reportDynamoDbRequest } from './request-meter.ts';
import { TABLE_DEFINITION } from './table-definition.ts';

/**
 * The one module that owns the DynamoDB client. In AWS the SDK finds region and credentials itself; locally
 * AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local. Every request is counted by command name, and each command
 * shown to its observers if any (request-meter.ts), so the benchmarks can show how many round trips and which writes
 * each operation costs.
 */

let documentClient: DynamoDBDocumentClient | undefined;

export function tableName(): string {
  return process.env.TABLE_NAME || TABLE_DEFINITION.defaultTableName;
}

export function dynamoDbClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const client = new DynamoDBClient({ maxAttempts: 3 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      countDynamoDbRequest(context.commandName ?? 'unknown');
      return next(args);
    },
    // The deserialize step runs once per HTTP attempt, retries included.
    { step: 'deserialize', name: 'countRequests' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (hasDynamoDbRequestObservers()) {
        reportDynamoDbRequest({
          command: context.commandName ?? 'unknown',
          input: args.input as Record<string, unknown>,
        });
      }
      return next(args);
    },
    // The build step runs once per command; the input is marshalled by then.
    { step: 'build', name: 'observeRequests' },
  );
  documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return documentClient;
}

/** Forgets the client, so the next call reads the environment again (the local stack after a restart). */
export function resetDynamoDbClient(): void {
  documentClient?.destroy();
  documentClient = undefined;
}
