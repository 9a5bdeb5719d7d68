/// A model made of members where a fit asking for k members gives exactly the first k members of
/// a fit asking for more: a forest, whose tree t draws from its own stream of the seed. A search over
/// the member count then fits the largest once per fold and scores its prefixes
/// (`CrossValidation.prefixGroups`): a `trees=50|100|200` grid costs 200 trees a fold, not 350.
public protocol PrefixEnsemble: Model {
    /// The hyperparameter that counts the members (`trees`).
    static var memberParameter: String { get }
    /// How many members the hyperparameters ask for.
    var memberCount: Int { get }
    /// This fitted model cut to its first `count` members: what a fit asking for `count` gives.
    func prefix(_ count: Int) throws -> Self
}

extension PrefixEnsemble {
    /// `prefix(count)` as a model of any type (for callers holding `any Model`).
    func anyPrefix(_ count: Int) throws -> any Model { try prefix(count) }
}
