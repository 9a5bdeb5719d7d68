/// A model made of members where a fit asking for k members gives exactly the first k members of
/// a fit asking for more: a forest, whose tree t draws from its own stream of the seed. A search over
/// the member count then fits the largest once per fold and scores its prefixes
/// (`CrossValidation.prefixGroups`): a `trees=50|100|200` grid costs 200 trees a fold, not 350.
///
/// A model whose members cut at a depth are exactly the members a fit with that depth limit grows
/// (a regression forest: each node draws from a stream fixed by its path, and remembers the value it
/// would predict as a leaf) names its depth parameter too, and a search fits the deepest once:
/// `max_depth=none|10|20` costs one full-depth fit a fold, not three fits.
public protocol PrefixEnsemble: Model {
    /// The hyperparameter that counts the members (`trees`).
    static var memberParameter: String { get }
    /// How many members the hyperparameters ask for.
    var memberCount: Int { get }
    /// This fitted model cut to its first `count` members: what a fit asking for `count` gives.
    func prefix(_ count: Int) throws -> Self
    /// The hyperparameter that limits the members' depth (`max_depth`) when `truncated` is exact; nil
    /// (the default) when the model cannot be cut by depth.
    static var depthParameter: String? { get }
    /// The depth limit the hyperparameters ask for (nil: unlimited).
    var depthLimit: Int? { get }
    /// Whether a fit with these hyperparameters can be cut by depth (false when something else the fit
    /// computes, such as an out-of-bag score, depends on the depth).
    var cutsByDepth: Bool { get }
    /// This fitted model with every member cut at `maxDepth` levels: what a fit with that limit gives.
    func truncated(maxDepth: Int) throws -> Self
}

extension PrefixEnsemble {
    public static var depthParameter: String? { nil }
    public var depthLimit: Int? { nil }
    public var cutsByDepth: Bool { false }
    public func truncated(maxDepth: Int) throws -> Self {
        throw ZooError.invalidInput("\(Self.info.kind): this model cannot be cut by depth")
    }

    /// `prefix(count)` as a model of any type (for callers holding `any Model`).
    func anyPrefix(_ count: Int) throws -> any Model { try prefix(count) }

    /// `truncated(maxDepth:)` as a model of any type.
    func anyTruncated(_ maxDepth: Int) throws -> any Model { try truncated(maxDepth: maxDepth) }

    /// Whether a search may cut this model by depth: it names a depth parameter and these
    /// hyperparameters allow it.
    var searchCutsByDepth: Bool { Self.depthParameter != nil && cutsByDepth }
}
