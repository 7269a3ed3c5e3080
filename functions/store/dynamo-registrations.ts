import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RegisteredAts } from '../../shared/checks/types.ts';
import { type Db, defaultDb, registrationFromItem, text } from './dynamo-items.ts';
import { queryAll } from './dynamo-read.ts';
import { keys } from './keys.ts';
import type { RegistrationListStore, RegistrationStore } from './types.ts';

/** The registered ATS of a Region: one Query (they share the Region's partition). */
export async function listRegistrations(
  db: Db,
  region: string,
): Promise<Array<RegisteredAts & { updatedAt?: string }>> {
  const items = await queryAll(db, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': keys.region(region), ':sk': 'ATS#' },
  });
  return items.map((item) => ({ ...registrationFromItem(item), updatedAt: text(item.updatedAt) }));
}

export async function getRegistration(db: Db, region: string, ats: string): Promise<RegisteredAts | undefined> {
  const result = await db.client.send(
    new GetCommand({ TableName: db.table, Key: { PK: keys.region(region), SK: keys.registration(ats) } }),
  );
  return result.Item ? registrationFromItem(result.Item) : undefined;
}

/** Listing a Region's registrations: one Query. */
export class DynamoRegistrationListStore implements RegistrationListStore {
  constructor(private readonly db: Db = defaultDb()) {}

  listRegistrations(region: string) {
    return listRegistrations(this.db, region);
  }
}

/** Registering an ATS's composition: one PutItem (a registration is replaced whole). */
export class DynamoRegistrationStore implements RegistrationStore {
  constructor(private readonly db: Db = defaultDb()) {}

  async putRegistration(
    region: string,
    registered: RegisteredAts,
    updatedBy: string,
  ): Promise<{ created: boolean; updatedAt: string }> {
    const updatedAt = new Date().toISOString();
    const result = await this.db.client.send(
      new PutCommand({
        TableName: this.db.table,
        Item: {
          PK: keys.region(region),
          SK: keys.registration(registered.ats),
          ats: registered.ats,
          name: registered.name,
          comuni: [...registered.comuni],
          enteGestoreCf: registered.enteGestoreCf,
          updatedAt,
          updatedBy,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { created: result.Attributes === undefined, updatedAt };
  }
}
