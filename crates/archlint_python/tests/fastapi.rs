//! FastAPI: dependencies in parameters (default and `Annotated`), in route
//! decorators and routers, `include_router`.

mod common;
use archlint_model::{ArgsExt, ParamKind};
use common::*;

const APP: &str = r#"
from typing import Annotated
from fastapi import APIRouter, Depends, FastAPI, Security

router = APIRouter(prefix="/items", dependencies=[Depends(verify_token)], tags=["items"])
app = FastAPI()

@router.get("/{item_id}", dependencies=[Depends(get_db)])
async def read_item(item_id: int, user: User = Depends(get_current_user), *, q: str | None = None):
    return await db.fetch(item_id)

@app.post("/admin")
async def admin(
    user: Annotated[User, Security(get_current_user, scopes=["admin"])],
    *args,
    limit: int = 10,
    **kwargs,
) -> dict[str, int]:
    return {}

app.include_router(router, prefix="/v1")
"#;

#[test]
fn depends_as_default() {
    let f = facts(APP);
    let read = func(&f, "read_item");
    assert!(read.is_async);
    let names: Vec<_> = read
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("item_id", ParamKind::Normal),
            ("user", ParamKind::Normal),
            ("q", ParamKind::KeywordOnly)
        ]
    );
    let user = &read.params[1];
    assert_eq!(show(user.annotation.as_ref().unwrap()), "User");
    let (callee, args) = call(user.default.as_ref().unwrap());
    assert_eq!(callee, "Depends");
    assert_eq!(dotted(args.positional(0).unwrap()), "get_current_user");
    assert_eq!(
        show(read.params[2].annotation.as_ref().unwrap()),
        "(str Other None)"
    );
    assert_eq!(show_stmts(&read.body), ["return await db.fetch(item_id)"]);
}

#[test]
fn annotated_security_and_star_params() {
    let f = facts(APP);
    let admin = func(&f, "admin");
    let user = &admin.params[0];
    assert_eq!(user.name, "user");
    assert!(user.default.is_none());
    assert_eq!(
        show(user.annotation.as_ref().unwrap()),
        r#"Annotated[User, Security(get_current_user, scopes=["admin"])]"#
    );
    let kinds: Vec<_> = admin
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("user", ParamKind::Normal),
            ("args", ParamKind::VarArgs),
            ("limit", ParamKind::KeywordOnly),
            ("kwargs", ParamKind::VarKwargs),
        ]
    );
    assert_eq!(show(admin.returns.as_ref().unwrap()), "dict[str, int]");
}

#[test]
fn dependencies_in_decorator_and_router() {
    let f = facts(APP);
    let read = func(&f, "read_item");
    let (callee, args) = call(&read.decorators[0]);
    assert_eq!(callee, "router.get");
    assert_eq!(str_of(args.positional(0).unwrap()), "/{item_id}");
    assert_eq!(
        show(args.keyword("dependencies").unwrap()),
        "[Depends(get_db)]"
    );

    let (callee, args) = call(assigned(&f.module_stmts, "router"));
    assert_eq!(callee, "APIRouter");
    assert_eq!(str_of(args.keyword("prefix").unwrap()), "/items");
    assert_eq!(
        show(args.keyword("dependencies").unwrap()),
        "[Depends(verify_token)]"
    );

    let include = f
        .module_stmts
        .iter()
        .map(show_stmt)
        .find(|s| s.contains("include_router"))
        .unwrap();
    assert_eq!(include, r#"app.include_router(router, prefix="/v1")"#);
}

#[test]
fn typed_splat_parameters() {
    let f = facts("def h(*args: int, key: str, **kw: Any): pass\n");
    let kinds: Vec<_> = func(&f, "h")
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("args", ParamKind::VarArgs),
            ("key", ParamKind::KeywordOnly),
            ("kw", ParamKind::VarKwargs)
        ]
    );
    assert_eq!(
        show(func(&f, "h").params[2].annotation.as_ref().unwrap()),
        "Any"
    );
}
