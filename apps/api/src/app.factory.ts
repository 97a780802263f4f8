import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { openAuditedEventStore } from '@rapport/audit';
import { lockDataDir } from '@rapport/event-store';
import { AppModule } from './app.module';
import { offersLocalSignIn } from './auth/auth.module';
import { tokenKeysFor } from '@rapport/access';
import { serveConsole } from './console/serve-console';
import { HttpMetrics } from './health/http-metrics';
import { Clock, systemClock } from './clock';
import { RapportConfig } from '@rapport/config';
import { StorageStatus } from './health/storage-status';
import { ErrorFilter } from './http/errors';
import { API_DESCRIPTION, ErrorBody, finishDocument } from './http/openapi';
import { bodyTypesOf, describeRequestBodies } from './http/openapi-bodies';
// Until five routes' controllers carry their own contracts (see the file).
import { serverTimeouts } from './http/server-limits';
import { validationPipe } from './http/validation';
import { openReadSide } from './queries/read-side';

export interface CreateAppOptions {
  config: RapportConfig;
  clock?: Clock;
  logger?: boolean;
  /** `npm start -- --demo`: local sign-in is offered whatever the listen address. */
  demo?: boolean;
}

/** Builds the HTTP application on the configured stores; main.ts and the e2e tests share it. */
export async function createApp({ config, clock = systemClock, logger = true, demo = false }: CreateAppOptions): Promise<NestFastifyApplication> {
  // The process that runs the projections owns DATA_DIR: a second server on it is refused here,
  // with a message, instead of failing later on locked read models.
  const lock = config.projector === 'in-process' ? lockDataDir(config.dataDir, `API server on port ${config.port}`, clock.now().toString()) : undefined;
  try {
    // Everything reads and writes through the audited store: personal data sealed under each
    // patient's key, every event hash-chained to the one before it in its stream.
    const stores = openAuditedEventStore(config);
    const eventStore = stores.store;
    // Expiry, lifetime and issue times are checked (and local tokens signed) on the app's clock.
    const tokenKeys = await tokenKeysFor(config.auth, config.dataDir, () => new Date(clock.now().epochMilliseconds));
    // The read models, and in the embedded default the projector running in this process.
    const readSide = await openReadSide({ config, eventStore });
    const localSignIn = offersLocalSignIn(tokenKeys, config.host, demo);
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register({
        config,
        eventStore,
        clock,
        readSide,
        rawEventStore: stores.raw,
        vault: stores.vault,
        tokenKeys,
        localSignIn,
      }),
      // 1 MiB bodies; Fastify's JSON parser already refuses __proto__ and constructor.prototype keys.
      new FastifyAdapter({ bodyLimit: 1_048_576, ...serverTimeouts(config) }),
      { logger: logger ? ['log', 'warn', 'error'] : false },
    );
    // Past this Node closes new connections at once, before they cost a file descriptor the store needs.
    app.getHttpServer().maxConnections = config.maxConnections;
    app.useGlobalPipes(validationPipe());
    app.useGlobalFilters(new ErrorFilter(app.get(StorageStatus)));
    app.enableShutdownHooks();
    const document = finishDocument(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Rapport API')
          .setDescription(API_DESCRIPTION)
          .setVersion('1')
          .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'npm run token -- --role manager --clinic c1, or POST /v1/auth/local-sign-in' }, 'bearer')
          .addSecurityRequirements('bearer')
          .build(),
        { extraModels: [ErrorBody] },
      ),
    );
    describeRequestBodies(document, bodyTypesOf(app));
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
    app.get(HttpMetrics).attach(app);
    app.get(StorageStatus).attach(app);
    await serveConsole(app, { thisMachineOnly: localSignIn === 'loopback' });
    // The store outlives Nest's own shutdown of the module graph.
    app.getHttpAdapter().getInstance().addHook('onClose', async () => {
      await readSide.close();
      await stores.close();
      lock?.release();
    });
    return app;
  } catch (error) {
    lock?.release();
    throw error;
  }
}
