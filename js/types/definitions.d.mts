export namespace sskTypes {
    namespace SskEnvelopeJson {
        let suite: string;
        let epoch: string;
        let recipientKeyVersion: string;
        let expiry: string;
        let enc: string;
        let ciphertext: string;
        let postedAt: string;
    }
    namespace SskKeyJson {
        let version: string;
        let key: string;
    }
}
export namespace sskRpc {
    namespace ssk {
        namespace latest {
            let description: string;
            let params: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            let type: string;
        }
        namespace encryptionKey {
            let description_1: string;
            export { description_1 as description };
            let params_1: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_1 as params };
            let type_1: string;
            export { type_1 as type };
        }
    }
}
/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const sskApiOptions: ApiDefinitions;
export namespace reputationTypes {
    namespace ReputationRepJson {
        let free: string;
        let staked: string;
        let bonded: string;
        let claimableFees: string;
        let totalSupply: string;
    }
    namespace ReputationAuthorJson {
        let account: string;
        let weight: string;
    }
    namespace ReputationTargetJson {
        namespace _enum {
            let Post: string;
            let Incinerator: string;
        }
    }
    namespace ReputationCitationJson {
        export let target: string;
        let weight_1: string;
        export { weight_1 as weight };
        export let flowed: string;
    }
    namespace ReputationPostJson {
        let poster: string;
        let authors: string;
        let contentHash: string;
        let citations: string;
        let value: string;
        let createdAt: string;
        let citedBy: string;
        let pools: string;
    }
    namespace ReputationParamsJson {
        let duration: string;
        let quorum: string;
        let winRatio: string;
        let binding: string;
        let redistributeLosingStakes: string;
        let mintingRatio: string;
        let stakeForAuthor: string;
        let citationDepth: string;
        let minFee: string;
    }
    namespace ReputationVerdictJson {
        let _enum_1: string[];
        export { _enum_1 as _enum };
    }
    namespace ReputationPoolJson {
        export let post: string;
        export let initiator: string;
        let params_2: string;
        export { params_2 as params };
        export let fee: string;
        export let state: string;
        export let verdict: string;
        export let memberWinnings: string;
        export let totalFor: string;
        export let totalAgainst: string;
        export let mintedFor: string;
        export let mintedAgainst: string;
        export let stakeFor: string;
        export let stakeAgainst: string;
        export let backer: string;
        export let backing: string;
        export let quorumBase: string;
        export let openedAt: string;
        export let endsAt: string;
        export let panel: string;
        export let voters: string;
        export let unclaimedStakes: string;
        export let remaining: string;
        export let bootstrap: string;
    }
}
export namespace reputationRpc {
    namespace reputation {
        export namespace rep {
            let description_2: string;
            export { description_2 as description };
            let params_3: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_3 as params };
            let type_2: string;
            export { type_2 as type };
        }
        export namespace post_1 {
            let description_3: string;
            export { description_3 as description };
            let params_4: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_4 as params };
            let type_3: string;
            export { type_3 as type };
        }
        export { post_1 as post };
        export namespace pool {
            let description_4: string;
            export { description_4 as description };
            let params_5: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_5 as params };
            let type_4: string;
            export { type_4 as type };
        }
    }
}
/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const reputationApiOptions: ApiDefinitions;
export namespace powAttestTypes {
    namespace PowAttestWorkScoreJson {
        let challenges: string;
        let score: string;
    }
    namespace PowAttestRoundScoreJson {
        export let gate: string;
        let challenges_1: string;
        export { challenges_1 as challenges };
        let score_1: string;
        export { score_1 as score };
    }
}
export namespace powAttestRpc {
    namespace powAttest {
        namespace currentRound {
            let description_5: string;
            export { description_5 as description };
            let params_6: {
                name: string;
                type: string;
                isOptional: boolean;
            }[];
            export { params_6 as params };
            let type_5: string;
            export { type_5 as type };
        }
        namespace workScore {
            let description_6: string;
            export { description_6 as description };
            let params_7: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_7 as params };
            let type_6: string;
            export { type_6 as type };
        }
        namespace scores {
            let description_7: string;
            export { description_7 as description };
            let params_8: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_8 as params };
            let type_7: string;
            export { type_7 as type };
        }
        namespace isRegistered {
            let description_8: string;
            export { description_8 as description };
            let params_9: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_9 as params };
            let type_8: string;
            export { type_8 as type };
        }
    }
}
/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const powAttestApiOptions: ApiDefinitions;
export namespace servicesTypes {
    namespace ServicesQuoteJson {
        export let provider: string;
        export let rate: string;
        let fee_1: string;
        export { fee_1 as fee };
        export let withinRate: string;
    }
    namespace ServicesOfferJson {
        let provider_1: string;
        export { provider_1 as provider };
        export let id: string;
        export let capacity: string;
        export let used: string;
        let rate_1: string;
        export { rate_1 as rate };
        export let endpoint: string;
        export let stake: string;
        export let committed: string;
        export let active: string;
    }
    namespace ServicesStatusJson {
        let _enum_2: string[];
        export { _enum_2 as _enum };
    }
    namespace ServicesInstanceJson {
        export let serviceType: string;
        export let consumer: string;
        let provider_2: string;
        export { provider_2 as provider };
        export let definition: string;
        export let payload: string;
        export let volume: string;
        let rate_2: string;
        export { rate_2 as rate };
        let fee_2: string;
        export { fee_2 as fee };
        let backing_1: string;
        export { backing_1 as backing };
        export let requestedAt: string;
        export let deadline: string;
        export let status: string;
        let pool_1: string;
        export { pool_1 as pool };
        let post_2: string;
        export { post_2 as post };
        export let result: string;
    }
}
export namespace servicesRpc {
    namespace services {
        namespace quote {
            let description_9: string;
            export { description_9 as description };
            let params_10: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_10 as params };
            let type_9: string;
            export { type_9 as type };
        }
        namespace offers {
            let description_10: string;
            export { description_10 as description };
            let params_11: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_11 as params };
            let type_10: string;
            export { type_10 as type };
        }
        namespace instance {
            let description_11: string;
            export { description_11 as description };
            let params_12: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_12 as params };
            let type_11: string;
            export { type_11 as type };
        }
    }
}
/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const servicesApiOptions: ApiDefinitions;
export namespace governanceTypes {
    namespace GovernanceStatusJson {
        let _enum_3: string[];
        export { _enum_3 as _enum };
    }
    namespace GovernanceProposalJson {
        let id_1: string;
        export { id_1 as id };
        export let proposer: string;
        export let track: string;
        let post_3: string;
        export { post_3 as post };
        let pool_2: string;
        export { pool_2 as pool };
        export let callHash: string;
        export let callLen: string;
        export let deposit: string;
        export let proposedAt: string;
        let status_1: string;
        export { status_1 as status };
        export let enactmentAt: string;
        export let succeeded: string;
    }
    namespace GovernanceTrackJson {
        let id_2: string;
        export { id_2 as id };
        export let name: string;
        export let paramSet: string;
        export let panelSize: string;
        export let poolFee: string;
        let deposit_1: string;
        export { deposit_1 as deposit };
        export let enactmentDelay: string;
        export let maxActive: string;
        let active_1: string;
        export { active_1 as active };
        export let allowedCalls: string;
    }
    namespace GovernanceParameterJson {
        let name_1: string;
        export { name_1 as name };
        let value_1: string;
        export { value_1 as value };
        export let min: string;
        export let max: string;
    }
}
export namespace governanceRpc {
    namespace governance {
        namespace proposals {
            let description_12: string;
            export { description_12 as description };
            let params_13: {
                name: string;
                type: string;
                isOptional: boolean;
            }[];
            export { params_13 as params };
            let type_12: string;
            export { type_12 as type };
        }
        namespace proposal {
            let description_13: string;
            export { description_13 as description };
            let params_14: ({
                name: string;
                type: string;
                isOptional?: undefined;
            } | {
                name: string;
                type: string;
                isOptional: boolean;
            })[];
            export { params_14 as params };
            let type_13: string;
            export { type_13 as type };
        }
        namespace tracks {
            let description_14: string;
            export { description_14 as description };
            let params_15: {
                name: string;
                type: string;
                isOptional: boolean;
            }[];
            export { params_15 as params };
            let type_14: string;
            export { type_14 as type };
        }
        namespace parameters {
            let description_15: string;
            export { description_15 as description };
            let params_16: {
                name: string;
                type: string;
                isOptional: boolean;
            }[];
            export { params_16 as params };
            let type_15: string;
            export { type_15 as type };
        }
    }
}
/** Both, to spread into the options of ApiPromise.create.
 *
 * @type {ApiDefinitions}
 */
export const governanceApiOptions: ApiDefinitions;
/** Every GPoW RPC definition (SSK, reputation, services, governance, PoW attestations) in one set of ApiPromise.create options.
 *
 * @type {ApiDefinitions}
 */
export const gpowApiOptions: ApiDefinitions;
/**
 * The options of `ApiPromise.create` for a part of GPoW (or all of it, `gpowApiOptions`): the
 * JSON-RPC methods by section and the types they use.
 */
export type ApiDefinitions = {
    rpc: Record<string, Record<string, import("@polkadot/types/types").DefinitionRpc>>;
    types: import("@polkadot/types/types").RegistryTypes;
};
