import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { RespondWaiters, type SandboxMonitor, type ScriptRunner } from '../../../libs/engine/src';
import { AuditController } from './audit/audit.controller';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditService } from './audit/audit.service';
import { EntitySnapshots } from './audit/entity-snapshots';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { PersonalTokensService } from './auth/personal-tokens.service';
import { MyTokensController, UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { RefusedTextPipe } from './common/refused-text.pipe';
import { HttpErrorFilter } from './common/http-error.filter';
import { ConsoleSite } from './console/console-site';
import { CONFIG, DATA_SOURCE, NOTIFICATIONS, SANDBOX_MONITOR, SCRIPT_RUNNER, SECRET_BOX } from './common/tokens';
import type { Notifications } from './database/notifications';
import type { AppConfig } from './config';
import { DocsController } from './docs/docs.controller';
import { ReferenceController } from './docs/reference.controller';
import { ReferencePage } from './docs/reference-page';
import { FunctionsController } from './functions/functions.controller';
import { FunctionsRepository } from './functions/functions.repository';
import { FunctionsService } from './functions/functions.service';
import { HealthController } from './health.controller';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsEndpoint } from './metrics/metrics-endpoint';
import { QueueGauges } from './metrics/queue-gauges';
import { ReadinessChecks } from './readiness';
import { IngressController } from './ingress/ingress.controller';
import { MessagesController } from './messages/messages.controller';
import { MessagesRepository } from './messages/messages.repository';
import { MessagesService } from './messages/messages.service';
import { MessageWrites } from './messages/message-writes';
import { MessageChangesRepository } from './messages/message-changes.repository';
import { MessageStream } from './messages/message-stream';
import { ResubmitJobsRepository } from './messages/resubmit-jobs.repository';
import { ResubmitJobsService } from './messages/resubmit-jobs.service';
import { OverviewController } from './overview/overview.controller';
import { OverviewRepository } from './overview/overview.repository';
import { OverviewService } from './overview/overview.service';
import { Catalog } from './processing/catalog';
import { CredentialHeaders } from './processing/credential-headers';
import { Dispatcher } from './processing/dispatcher';
import { Leases } from './processing/leases';
import { MessageProcessor } from './processing/message-processor';
import { MessageLedger } from './messages/message-ledger';
import { VerificationService } from './processing/verification.service';
import { BuiltinProvidersService } from './providers/builtin-providers.service';
import { ProviderOrderVersionsService } from './providers/provider-order-versions.service';
import { ProvidersController } from './providers/providers.controller';
import { SchemesController } from './providers/schemes.controller';
import { AutomationsController, RunsController } from './automations/automations.controller';
import { AutomationsRepository } from './automations/automations.repository';
import { AutomationsService } from './automations/automations.service';
import { RunExecutor } from './automations/run-executor';
import { RunSignal } from './automations/run-signal';
import { RunWorker } from './automations/run.worker';
import { RunsRepository } from './automations/runs.repository';
import { RunsService } from './automations/runs.service';
import { FailureEvents } from './automations/failure-events';
import { RunOutcomes } from './automations/run-outcomes';
import { Scheduler } from './automations/scheduler';
import { ScmPollSetting } from './scm-polling/scm-poll-setting';
import { ScmPollStateRepository } from './scm-polling/scm-poll-state.repository';
import { ShaClaimsRepository } from './scm-polling/sha-claims.repository';
import { DeliveryRuns } from './scm-polling/delivery-runs';
import { ScmPollController } from './scm-polling/scm-poll.controller';
import { ScmPollService } from './scm-polling/scm-poll.service';
import { ScmPoller } from './scm-polling/scm-poller';
import { EndpointDispatcher } from './endpoints/endpoint-dispatcher';
import { EndpointsController } from './endpoints/endpoints.controller';
import { EndpointsRepository } from './endpoints/endpoints.repository';
import { EndpointsService } from './endpoints/endpoints.service';
import { GitProvidersController } from './git-providers/git-providers.controller';
import { GitProvidersRepository } from './git-providers/git-providers.repository';
import { GitProvidersService } from './git-providers/git-providers.service';
import { RetentionJob } from './maintenance/retention.job';
import { PublicUrl } from './public-url';
import { RunnerGuard } from './tasks/runner.guard';
import { RunnersService } from './tasks/runners.service';
import { RunnersController, TaskOperatorController, TasksController } from './tasks/tasks.controller';
import { TaskDeadlines } from './tasks/task-deadlines';
import { TaskOperatorService } from './tasks/task-operator.service';
import { TaskWaitMatcher } from './tasks/task-wait-matcher';
import { TasksRepository } from './tasks/tasks.repository';
import { TasksService } from './tasks/tasks.service';
import { EventLogRepository, EventSequencer } from './events/event-log';
import { EventStream } from './events/event-stream';
import { EventsController } from './events/events.controller';
import { StreamReaderGuard } from './events/stream-reader.guard';
import { ProvidersRepository } from './providers/providers.repository';
import { PreviewService } from './script-tests/preview.service';
import { ScriptTestsController } from './script-tests/script-tests.controller';
import { ScriptTestsService } from './script-tests/script-tests.service';
import { ProvidersService } from './providers/providers.service';
import { LocalQueue } from './queue/local-queue';
import { QueueSignal } from './queue/queue-signal';
import { QueueWorker } from './queue/queue.worker';
import type { SecretBox } from './security/secret-box';
import { VersionsRepository } from './versions/versions.repository';
import { VersionsService } from './versions/versions.service';
import { Tracer } from './tracing/tracer';

/** What start-up builds before Nest: the config, the open database, the sandbox and the secret box. */
export interface AppResources {
  config: AppConfig;
  dataSource: DataSource;
  notifications: Notifications;
  scripts: ScriptRunner;
  /** The same sandbox, as it reports on itself. */
  sandbox: SandboxMonitor;
  secretBox: SecretBox;
}

@Module({})
export class AppModule {
  static register(resources: AppResources): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        HealthController,
        AuthController,
        MyTokensController,
        UsersController,
        ProvidersController,
        SchemesController,
        FunctionsController,
        MessagesController,
        OverviewController,
        IngressController,
        DocsController,
        ReferenceController,
        AutomationsController,
        RunsController,
        RunnersController,
        TasksController,
        TaskOperatorController,
        EventsController,
        EndpointsController,
        ScriptTestsController,
        GitProvidersController,
        ScmPollController,
        MetricsController,
        AuditController,
      ],
      providers: [
        { provide: CONFIG, useValue: resources.config },
        { provide: DATA_SOURCE, useValue: resources.dataSource },
        { provide: NOTIFICATIONS, useValue: resources.notifications },
        { provide: SCRIPT_RUNNER, useValue: resources.scripts },
        { provide: SANDBOX_MONITOR, useValue: resources.sandbox },
        { provide: SECRET_BOX, useValue: resources.secretBox },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: RefusedTextPipe },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        ConsoleSite,
        ReferencePage,
        AuthService,
        PersonalTokensService,
        UsersService,
        ProvidersRepository,
        ProvidersService,
        BuiltinProvidersService,
        ProviderOrderVersionsService,
        FunctionsRepository,
        FunctionsService,
        VersionsRepository,
        VersionsService,
        MessagesRepository,
        MessageLedger,
        MessagesService,
        MessageWrites,
        MessageChangesRepository,
        MessageStream,
        ResubmitJobsRepository,
        ResubmitJobsService,
        OverviewRepository,
        OverviewService,
        Catalog,
        CredentialHeaders,
        VerificationService,
        MessageProcessor,
        Leases,
        QueueSignal,
        LocalQueue,
        QueueWorker,
        Dispatcher,
        Tracer,
        { provide: RespondWaiters, useFactory: () => new RespondWaiters() },
        PublicUrl,
        AutomationsRepository,
        AutomationsService,
        RunsRepository,
        RunsService,
        FailureEvents,
        RunOutcomes,
        RunSignal,
        RunExecutor,
        RunWorker,
        Scheduler,
        ScmPollStateRepository,
        ShaClaimsRepository,
        ScmPollSetting,
        ScmPoller,
        ScmPollService,
        DeliveryRuns,
        TasksRepository,
        TasksService,
        TaskOperatorService,
        TaskWaitMatcher,
        TaskDeadlines,
        EventLogRepository,
        EventSequencer,
        ReadinessChecks,
        EventStream,
        StreamReaderGuard,
        RunnersService,
        RunnerGuard,
        EndpointsRepository,
        EndpointsService,
        EndpointDispatcher,
        RetentionJob,
        ScriptTestsService,
        PreviewService,
        GitProvidersRepository,
        GitProvidersService,
        Metrics,
        MetricsEndpoint,
        QueueGauges,
        AuditLogRepository,
        AuditService,
        EntitySnapshots,
      ],
    };
  }
}
