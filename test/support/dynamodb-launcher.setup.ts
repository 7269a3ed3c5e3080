import { dynamoDbLocalRelease, launcherClasses } from '../../functions/local/dynamodb-launcher.ts';

/**
 * Compiles DynamoDB Local's launcher once before any test file runs (functions/local/dynamodb-launcher.ts): on a fresh
 * clone javac takes seconds, which must not eat into the time limit of whichever test first starts a stack.
 */
export default async function setup(): Promise<void> {
  await launcherClasses(dynamoDbLocalRelease());
}
