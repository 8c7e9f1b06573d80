// Start @firestore-emulator/server on 127.0.0.1:<port> (its own start() binds 0.0.0.0).
// Usage: node firestore_emulator.js <port>. Prints "ready <port>" once listening.
"use strict";
const { FirestoreServer } = require("@firestore-emulator/server");
const grpc = require("@grpc/grpc-js");

const port = Number(process.argv[2] || "0");
const emulator = new FirestoreServer();
emulator.server.bindAsync(
  `127.0.0.1:${port}`,
  grpc.ServerCredentials.createInsecure(),
  (err, boundPort) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    console.log(`ready ${boundPort}`);
  },
);
const stop = () => {
  emulator.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
