// The reference: a minimal socket.io server doing only the fan-out that caravane's board does.
// Clients `join` a room (acknowledged); a `show` event is broadcast to the room as
// `screen:changed`. No database, no logic: the practical limit of the protocol on this machine.
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.argv[2] || 3000);
const httpServer = http.createServer();
const io = new Server(httpServer, { pingInterval: 10000, pingTimeout: 10000 });

io.on("connection", (socket) => {
  socket.on("join", (data, ack) => {
    socket.join(`stop:${data && data.stop}`);
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("show", (data, ack) => {
    io.to(`stop:${data.stop}`).emit("screen:changed", { stop: data.stop, question: data.question });
    if (typeof ack === "function") ack({ ok: true });
  });
});

httpServer.listen(port, "127.0.0.1");
