// The core (OrleansSync.Core) declares its wire types with Orleans' attributes only; their serializers and
// copiers are generated here, where the Orleans code generator runs.
[assembly: GenerateCodeForDeclaringAssembly(typeof(OrleansSync.Lattice.PartialInfo))]
