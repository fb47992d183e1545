"""The model layer: one interface (`Model`) over OpenAI-compatible servers and scripted replies."""

from engine.model.action import AgentAction, Command, Usage
from engine.model.errors import ModelError, ModelFormatError, ModelGaveUp, ModelUnavailable
from engine.model.openai_model import OpenAIModel, OpenAIModelConfig
from engine.model.protocol import Model, ModelTurn, TextTurn
from engine.model.registry import create_model, register_model_kind
from engine.model.scripted_model import ScriptedModel

__all__ = [
    "AgentAction",
    "Command",
    "Model",
    "ModelError",
    "ModelFormatError",
    "ModelGaveUp",
    "ModelTurn",
    "ModelUnavailable",
    "OpenAIModel",
    "OpenAIModelConfig",
    "ScriptedModel",
    "TextTurn",
    "Usage",
    "create_model",
    "register_model_kind",
]
