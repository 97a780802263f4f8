/**
 * A STAND-IN for EventStoreDB, for tests only: an in-process gRPC server that serves the service
 * definitions shipped inside @eventstore/db-client (`generated/*_grpc_pb.js`), so the real client
 * talks real gRPC to it. It implements only what the EsdbEventStore adapter uses — Streams.Read
 * (a stream, $all forwards and backwards, $all subscriptions with a filter, live), Streams.Append,
 * Streams.BatchAppend and ServerFeatures — over the in-memory StandInLog.
 *
 * Passing the contract suite here is evidence about how the adapter uses the client and the
 * protocol; it is not evidence about EventStoreDB itself. See stand-in-log.ts for the behaviour it
 * models and where it knowingly differs.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import {
  AllStreamPosition,
  Empty,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { AllStart, AppendOutcome, Expected, LogRecord, ProposedEvent, StandInLog, StandInLogOptions } from './stand-in-log';

export interface EsdbStandInOptions extends StandInLogOptions {
  /**
   * true (default): answer ServerFeatures and advertise BatchAppend, as EventStoreDB 21.10+ does,
   * so the client appends through BatchAppend. false: an older server without ServerFeatures; the
   * client falls back to the Append call.
   */
  batchAppend?: boolean;
  /**
   * 'after' (default): a subscription from a position starts after it, as EventStoreDB documents.
   * 'at': it starts at it, like a read — to show the adapter delivers nothing twice either way.
   */
  subscriptionsStart?: 'after' | 'at';
}

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

const STREAMS_SERVICE = 'event_store.client.streams.Streams';
const UNLIMITED = 2n ** 64n - 1n;

export class EsdbStandIn {
  /** Calls served, by method name: which path the client took. */
  readonly calls: Record<string, number> = {};
  private server: grpc.Server | undefined;
  private port = 0;
  private readonly liveSubscriptions = new Set<ReadCall>();

  private constructor(
    readonly log: StandInLog,
    private readonly batchAppendEnabled: boolean,
    private readonly subscriptionsStartAt: boolean,
  ) {}

  static async start(options: EsdbStandInOptions = {}): Promise<EsdbStandIn> {
    const standIn = new EsdbStandIn(new StandInLog(options), options.batchAppend ?? true, options.subscriptionsStart === 'at');
    await standIn.listen(0);
    return standIn;
  }

  /** Single node, no TLS: the client connects straight to it, no gossip. */
  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  get subscriptionCount(): number {
    return this.liveSubscriptions.size;
  }

  /** Ends every live subscription with UNAVAILABLE, as a server cutting its subscribers off. */
  dropSubscriptions(): number {
    const calls = [...this.liveSubscriptions];
    for (const call of calls) call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'the stand-in dropped this subscription' });
    return calls.length;
  }

  /** Stops serving; the log is kept, so `restart()` comes back with the same data on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.liveSubscriptions.clear();
    server?.forceShutdown();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.listen(this.port);
  }

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService, {
      read: (call: ReadCall) => this.serve('Read', () => this.read(call), call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
        this.serve('Append', () => this.append(call, callback)),
      ...(this.batchAppendEnabled
        ? {
            batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) =>
              this.serve('BatchAppend', () => this.batchAppend(call)),
          }
        : {}),
    });
    if (this.batchAppendEnabled) {
      server.addService(ServerFeaturesService, {
        getSupportedMethods: (_call: grpc.ServerUnaryCall<unknown, SupportedMethods>, callback: grpc.sendUnaryData<SupportedMethods>) =>
          this.serve('GetSupportedMethods', () => callback(null, supportedMethods())),
      });
    }
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    this.server = server;
  }

  private serve(method: string, handle: () => void, call?: ReadCall): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    try {
      handle();
    } catch (error) {
      // A bug in the stand-in must fail the test loudly, not hang it.
      call?.emit('error', { code: grpc.status.INTERNAL, details: `stand-in: ${(error as Error).message}` });
      if (!call) throw error;
    }
  }

  private read(call: ReadCall): void {
    const options = call.request.getOptions();
    if (!options) throw new Error('ReadReq without options');
    const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
    const count = options.hasCount() ? BigInt(options.getCount()) : UNLIMITED;
    const accept = filterOf(options);

    if (options.hasStream()) {
      if (options.hasSubscription()) {
        call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'the stand-in serves no stream subscriptions' });
        return;
      }
      const stream = options.getStream()!;
      const name = streamName(stream.getStreamIdentifier());
      const from = stream.hasStart() ? 'start' : stream.hasEnd() ? 'end' : BigInt(stream.getRevision());
      const records = this.log.readStream(name, from, forwards, count);
      if (records === 'not_found') {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(name));
        call.write(new ReadResp().setStreamNotFound(notFound));
      } else {
        for (const record of records) call.write(readEvent(record));
      }
      call.end();
      return;
    }

    const all = options.getAll();
    if (!all) throw new Error('ReadReq for neither a stream nor $all');
    const from: AllStart = all.hasStart() ? 'start' : all.hasEnd() ? 'end' : BigInt(all.getPosition()!.getCommitPosition());
    if (options.hasSubscription()) {
      this.subscribeToAll(call, from, accept);
      return;
    }
    for (const record of this.log.readAll(from, forwards, count, accept)) call.write(readEvent(record));
    call.end();
  }

  /** Catch-up then live, with no gap: both happen in one turn of the event loop. */
  private subscribeToAll(call: ReadCall, from: AllStart, accept: (record: LogRecord) => boolean): void {
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(randomUUID());
    call.write(new ReadResp().setConfirmation(confirmation));
    // A subscription starts after its position (a read starts at it).
    const records = this.log.records;
    const first =
      from === 'start'
        ? 0
        : from === 'end'
          ? records.length
          : this.subscriptionsStartAt
            ? this.log.firstIndexAtOrAfter(from)
            : this.log.firstIndexAfter(from);
    for (let i = first; i < records.length; i++) if (accept(records[i])) call.write(readEvent(records[i]));
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    const stopListening = this.log.onRecord((record) => {
      if (accept(record)) call.write(readEvent(record));
    });
    this.liveSubscriptions.add(call);
    const done = (): void => {
      stopListening();
      this.liveSubscriptions.delete(call);
    };
    call.on('cancelled', done);
    call.on('finish', done);
    call.on('close', done);
  }

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      if (request.hasProposedMessage()) proposed.push(fromProposed(request.getProposedMessage()!));
    });
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'AppendReq without options' });
      const expected: Expected = options.hasRevision()
        ? { kind: 'revision', revision: BigInt(options.getRevision()) }
        : options.hasNoStream()
          ? { kind: 'no_stream' }
          : options.hasStreamExists()
            ? { kind: 'stream_exists' }
            : { kind: 'any' };
      const outcome = this.log.append(streamName(options.getStreamIdentifier()), expected, proposed);
      if (outcome.kind === 'too_large') {
        const metadata = new grpc.Metadata();
        metadata.set('exception', 'maximum-append-size-exceeded');
        metadata.set('maximum-append-size', String(outcome.maxAppendSize));
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Maximum Append Size Exceeded', metadata });
      }
      callback(null, appendResponse(outcome));
    });
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<string, { options?: BatchAppendReq.Options; proposed: ProposedEvent[] }>();
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = uuidString(request.getCorrelationId());
      const entry = pending.get(correlationId) ?? { proposed: [] };
      if (request.hasOptions()) entry.options = request.getOptions();
      entry.proposed.push(...request.getProposedMessagesList().map(fromProposed));
      pending.set(correlationId, entry);
      if (!request.getIsFinal()) return;
      pending.delete(correlationId);
      call.write(this.batchOutcome(correlationId, entry.options!, entry.proposed));
    });
    call.on('end', () => call.end());
  }

  private batchOutcome(correlationId: string, options: BatchAppendReq.Options, proposed: ProposedEvent[]): BatchAppendResp {
    const stream = streamName(options.getStreamIdentifier());
    const expected: Expected = options.hasStreamPosition()
      ? { kind: 'revision', revision: BigInt(options.getStreamPosition()) }
      : options.hasNoStream()
        ? { kind: 'no_stream' }
        : options.hasStreamExists()
          ? { kind: 'stream_exists' }
          : { kind: 'any' };
    const response = new BatchAppendResp();
    response.setCorrelationId(uuid(correlationId));
    response.setStreamIdentifier(streamIdentifier(stream));
    const outcome = this.log.append(stream, expected, proposed);
    switch (outcome.kind) {
      case 'success': {
        const success = new BatchAppendResp.Success();
        success.setCurrentRevision(outcome.currentRevision.toString());
        success.setPosition(allPosition(outcome.position));
        return response.setSuccess(success);
      }
      case 'wrong_expected_version': {
        const details = new WrongExpectedVersion();
        if (outcome.current === 'no_stream') details.setCurrentNoStream(new ProtobufEmpty());
        else details.setCurrentStreamRevision(outcome.current.toString());
        if (expected.kind === 'revision') details.setExpectedStreamPosition(expected.revision.toString());
        else if (expected.kind === 'no_stream') details.setExpectedNoStream(new ProtobufEmpty());
        else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new ProtobufEmpty());
        else details.setExpectedAny(new ProtobufEmpty());
        return response.setError(errorStatus(grpc.status.FAILED_PRECONDITION, 'WrongExpectedVersion', details, 'event_store.client.WrongExpectedVersion'));
      }
      case 'too_large': {
        const details = new MaximumAppendSizeExceeded();
        details.setMaxappendsize(outcome.maxAppendSize);
        return response.setError(
          errorStatus(grpc.status.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', details, 'event_store.client.MaximumAppendSizeExceeded'),
        );
      }
    }
  }
}

function supportedMethods(): SupportedMethods {
  const methods = ['Read', 'Append', 'BatchAppend'].map((name) => {
    const method = new SupportedMethod();
    method.setServiceName(STREAMS_SERVICE);
    method.setMethodName(name);
    return method;
  });
  return new SupportedMethods().setEventStoreServerVersion('23.10.0 (rapport test stand-in)').setMethodsList(methods);
}

function filterOf(options: ReadReq.Options): (record: LogRecord) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const byStream = filter.hasStreamIdentifier();
  const expression = byStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  const prefixes = expression.getPrefixList();
  return (record) => {
    const value = byStream ? record.stream : record.type;
    if (regex && regex.test(value)) return true;
    return prefixes.some((prefix) => value.startsWith(prefix));
  };
}

function readEvent(record: LogRecord): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuid(record.id));
  recorded.setStreamIdentifier(streamIdentifier(record.stream));
  recorded.setStreamRevision(record.revision.toString());
  // EventStoreDB (after 22.6) gives stream reads positions too; commit = prepare for implicit transactions.
  recorded.setCommitPosition(record.position.toString());
  recorded.setPreparePosition(record.position.toString());
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('created', record.created.toString())
    .set('content-type', record.isJson ? 'application/json' : 'application/octet-stream');
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.metadata);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(record.position.toString());
  return new ReadResp().setEvent(event);
}

function appendResponse(outcome: Exclude<AppendOutcome, { kind: 'too_large' }>): AppendResp {
  const response = new AppendResp();
  if (outcome.kind === 'success') {
    const position = new AppendResp.Position();
    position.setCommitPosition(outcome.position.toString());
    position.setPreparePosition(outcome.position.toString());
    const success = new AppendResp.Success();
    success.setCurrentRevision(outcome.currentRevision.toString());
    success.setPosition(position);
    return response.setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  const expected = outcome.expected;
  if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedAny(new Empty());
  return response.setWrongExpectedVersion(wrong);
}

function errorStatus(code: number, message: string, details: { serializeBinary(): Uint8Array }, typeName: string): Status {
  const packed = new Any();
  packed.pack(details.serializeBinary(), typeName);
  const status = new Status();
  status.setCode(code);
  status.setMessage(message);
  status.setDetails(packed);
  return status;
}

function fromProposed(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: uuidString(message.getId()),
    type: metadata.get('type') ?? '',
    isJson: metadata.get('content-type') === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function allPosition(position: bigint): AllStreamPosition {
  const out = new AllStreamPosition();
  out.setCommitPosition(position.toString());
  out.setPreparePosition(position.toString());
  return out;
}

function streamIdentifier(name: string): StreamIdentifier {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Buffer.from(name, 'utf8'));
  return identifier;
}

function streamName(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('request without a stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function uuid(value: string): UUID {
  const out = new UUID();
  out.setString(value);
  return out;
}

function uuidString(value: UUID | undefined): string {
  if (!value?.hasString()) throw new Error('the stand-in expects UUIDs as strings (the client sends them so)');
  return value.getString().toLowerCase();
}
