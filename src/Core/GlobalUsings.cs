// Orleans' serialization attributes ([GenerateSerializer], [Id], [Alias], [Immutable]); nothing else of Orleans is used here.
global using Orleans;
