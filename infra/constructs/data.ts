import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../functions/store/table-definition.ts';

const ATTRIBUTE_TYPES = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
} as const;

function attribute(key: { readonly name: string; readonly type: keyof typeof ATTRIBUTE_TYPES }): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/**
 * The single table, declared from the same TABLE_DEFINITION the local stack creates its table from. The physical name
 * is left to CloudFormation (functions receive it as TABLE_NAME) so two stacks in one account never collide.
 * On-demand capacity is what lets one stack serve one ATS or all of Italy unchanged: there is nothing to size.
 */
export class DataTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attribute(TABLE_DEFINITION.partitionKey),
      sortKey: attribute(TABLE_DEFINITION.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // A KMS key the account owns (aws/dynamodb) rather than an AWS-owned one: every use shows in CloudTrail.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      // Submissions and the audit trail are the Region's records: deleting the stack must never delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** ARNs a policy needs: the table alone, since it has no index (functions/store/table-definition.ts says why). */
  resourceArns(): string[] {
    return [this.table.tableArn];
  }
}
