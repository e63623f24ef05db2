// Workflow histories as JSON files: the proto3 JSON that `temporal workflow show --output json` prints, to and from the
// SDK's History objects.
//
// Not the SDK's historyToJSON/historyFromJSON (nor runReplayHistory given JSON, which calls the latter): in this
// install they throw "type must be a Type". @temporalio/common and @temporalio/proto each carry their own copy of
// protobufjs 8 (the top-level one is @grpc/proto-loader's 7), and the protojson of common's copy rejects the types
// built by proto's. So this takes protojson from the copy @temporalio/proto resolves, whatever the layout.
import path from 'node:path';
import { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
/** The generated module's History is protobufjs's reflected Type itself. */
const HistoryType = temporal.api.history.v1.History;

/** Indented, one field a line: fixtures diff readably. */
export function historyToJson(history: History): string {
  return `${JSON.stringify(protojson.toJson(HistoryType, HistoryType.fromObject(history)), null, 2)}\n`;
}

/** Fields a newer server adds are ignored, as the SDK's own reader does. */
export function historyFromJson(text: string): History {
  return protojson.fromJson(HistoryType, JSON.parse(text), { ignoreUnknownFields: true }) as History;
}
