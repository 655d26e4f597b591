using Collab.Server;

var app = CollabServer.Build(args);
app.Run();
