import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { RouteFunction } from './api.ts';

export interface MonitoringProps {
  readonly httpApi: apigwv2.HttpApi;
  readonly functions: readonly RouteFunction[];
  readonly table: dynamodb.Table;
  readonly alarmEmail: string | undefined;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms that mean "someone could not submit": any 5xx from the API, any function error, any throttled invocation or
 * table request. Each fires on the first occurrence in five minutes: at a Region's volume a single failure is news.
 * All of them notify one SNS topic the IT team subscribes to.
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Rendiconta LEPS alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    this.alarm('Api5xx', 'HTTP API: risposte 5xx', props.httpApi.metricServerError({ period: PERIOD }));
    for (const { route, fn } of props.functions) {
      this.alarm(`${route.id}Errors`, `${route.id}: errori della funzione`, fn.metricErrors({ period: PERIOD }));
      this.alarm(`${route.id}Throttles`, `${route.id}: invocazioni limitate`, fn.metricThrottles({ period: PERIOD }));
    }
    const tableThrottles = new cloudwatch.MathExpression({
      label: 'Richieste limitate (lettura + scrittura)',
      expression: 'reads + writes',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum', period: PERIOD }),
        writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum', period: PERIOD }),
      },
      period: PERIOD,
    });
    this.alarm('TableThrottles', 'DynamoDB: richieste limitate', tableThrottles);
  }

  private alarm(id: string, description: string, metric: cloudwatch.IMetric): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: `Rendiconta LEPS — ${description}`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
